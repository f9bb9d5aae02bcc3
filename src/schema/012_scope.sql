-- 012_scope.sql — record scope of each user (issue 10 item 5): which cases the
-- user may list and open.  NULL = the default of the user's roles
-- (src/base/actor.h td_actor_scope: station operators their own station,
-- everyone else all cases); an administrator may narrow or widen it with
-- `talentdesk user scope USER own|station|department|all`.
--   own        cases the user took in, is assigned to, follows as service
--              specialist, or holds a service task of;
--   station    cases of the user's station;
--   department cases with a service of the user's department or a 联审
--              sign-off of it (and the user's own cases);
--   all        every case.
ALTER TABLE users ADD COLUMN scope TEXT
    CHECK (scope IS NULL OR scope IN ('own', 'station', 'department', 'all'));
