/* specialist.h — the 人才服务专员 who follows one talent (per person, not per
 * case; seed 001 第五章 “金凤凰”人才服务专员制度), and the specialist's
 * follow-up log with its "follow-ups due" queue. */
#ifndef TD_SPECIALIST_H
#define TD_SPECIALIST_H

#include "base/actor.h"
#include "base/db.h"
#include "base/err.h"
#include "base/timeutil.h"
#include "base/uuid.h"

#include <stdbool.h>

/* The person's specialist: user id and display name ("" when none).
 * Either output may be NULL.  TD_ENOTFOUND for an unknown person.
 * Internal to the core (as td_followups_each and td_followups_due): front
 * ends call the `_as` variants of cases/scope.h. */
td_status td_person_specialist(td_db *db, const char *person_id, char id[TD_UUID_LEN], char *name, size_t len,
                               td_err *err);

/* Sets or changes the specialist of a person (key: id, identity number or
 * phone) to the active user `username` holding the specialist role; NULL or
 * "" removes it.  A change from one specialist to another (or a removal)
 * needs a reason; every change is audited (person.specialist, old → new,
 * reason).  Clerks, station operators and admins.  Own transaction. */
td_status td_person_specialist_set(td_db *db, const td_actor *by, const char *person_key, const char *username,
                                   const char *reason, td_err *err);

typedef struct td_followup {
    char id[TD_UUID_LEN];
    char person_id[TD_UUID_LEN];
    char person_name[256];
    char specialist[40];          /* username of the person's specialist ("" none) */
    char by_user[40];
    char on_date[TD_DATE_LEN];
    char channel[12];             /* phone visit wechat email video other */
    char note[1024];
    char next_date[TD_DATE_LEN];  /* "" = nothing planned */
    bool open;                    /* not superseded by a later follow-up */
} td_followup;

/* Logs a contact with a person: on_date (NULL = today, not in the future),
 * channel (one of the codes above), note, next_date (NULL/"" = none; not
 * before on_date).  Earlier open follow-ups of the person are closed (their
 * next contact happened).  Specialists, clerks, station operators, admins.
 * Own transaction, audited.  Fills *out when not NULL. */
td_status td_followup_add(td_db *db, const td_actor *by, const char *person_key, const char *on_date,
                          const char *channel, const char *note, const char *next_date, td_followup *out,
                          td_err *err);

/* A person's follow-ups, newest first. */
td_status td_followups_each(td_db *db, const char *person_id, int (*cb)(const td_followup *f, void *ud), void *ud,
                            td_err *err);

/* The "follow-ups due" queue: open follow-ups whose next contact is on or
 * before as_of (NULL = today), of persons whose specialist is
 * specialist_id (NULL = every specialist), soonest first, at most limit
 * (0 = 500).  Reads the person_followups_due index. */
td_status td_followups_due(td_db *db, const char *specialist_id, const char *as_of, int limit,
                           int (*cb)(const td_followup *f, void *ud), void *ud, td_err *err);

/* Translated name of a follow-up channel code, or the code. */
const char *td_followup_channel_name(const char *code);

#endif
