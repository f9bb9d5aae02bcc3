/* case_extra.h — what `case show` adds from the report and people modules:
 * the person's 人才服务专员 and the case's 好差评 rating. */
#ifndef TD_CLI_CASE_EXTRA_H
#define TD_CLI_CASE_EXTRA_H

#include "cli.h"
#include "cases/case.h"

/* With j (a case's JSON object) adds "specialist" and "rating" to it;
 * without, prints them as rows of the case display. */
void td_cli_case_extra(td_cli *c, const td_case *k, json_t *j);

#endif
