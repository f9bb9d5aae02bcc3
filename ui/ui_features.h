/* ui_features.h — which core modules this build has.
 *
 * The workflow engine (src/workflow.h …) and the scoring module
 * (src/score.h, src/talentcode.h) are developed in parallel with the
 * interface; the screens that use them compile only when their headers are
 * present, so the interface builds at every step of the integration.  Once
 * every module is on main these are always 1 (and the guards can go).
 */
#ifndef UI_FEATURES_H
#define UI_FEATURES_H

#if defined(__has_include)
#if __has_include("workflow.h") && __has_include("wf_docs.h") && __has_include("wf_tasks.h") &&               \
    __has_include("wf_signoff.h")
#define UI_HAVE_WORKFLOW 1
#endif
#if __has_include("score.h") && __has_include("facts.h")
#define UI_HAVE_SCORE 1
#endif
#if __has_include("talentcode.h")
#define UI_HAVE_TALENTCODE 1
#endif
#endif

#ifndef UI_HAVE_WORKFLOW
#define UI_HAVE_WORKFLOW 0
#endif
#ifndef UI_HAVE_SCORE
#define UI_HAVE_SCORE 0
#endif
#ifndef UI_HAVE_TALENTCODE
#define UI_HAVE_TALENTCODE 0
#endif

#endif
