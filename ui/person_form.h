/* person_form.h — the person fields shared by the intake form and the
 * person edit form: building the fields, field checks as the cursor leaves
 * them (core validators), and moving between the form and td_person. */
#ifndef UI_PERSON_FORM_H
#define UI_PERSON_FORM_H

#include "form.h"
#include "people/person.h"

#define UI_PERSON_NFIELDS 13

/* Fills fields[0..UI_PERSON_NFIELDS) (keys as td_person_validate's
 * field_out) with pick-lists from the database (categories, ID types). */
void ui_person_fields(td_db *db, ui_form_field *fields);

/* The field check for person fields (name, id_no, phone, email …) using the
 * core validators; ud unused. */
bool ui_person_check(ui_form *f, int idx, td_err *err, void *ud);

/* Copies form values into p (fields not on the form are left alone). */
void ui_person_from_form(const ui_form *f, td_person *p);

/* Copies p into the form (not dirty). */
void ui_person_to_form(ui_form *f, const td_person *p);

#endif
