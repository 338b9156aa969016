/*
 * x400ct.h - X.400 content (RFC 3854): content types by OID or built-in
 * integer, the originator of an interpersonal message (X.420 heading), and
 * the application/x400-content entity that carries unprotected content
 * (RFC 3854 §3.5 is silent on the bytes; DESIGN: base64, the content-type
 * parameter the integer or dotted OID).
 * Not here: O/R address text (x400.h), CMS (cms.h).
 */
#ifndef XE2E_X400CT_H
#define XE2E_X400CT_H

#include <stddef.h>
#include "buf.h"

#define XE2E_X400_OID_MAX 64

/*
 * The eContentType for spec: a dotted OID (at least two arcs), or a built-in
 * content type integer of X.411 mapped by the table in x400ct.c.  oid gets
 * the dotted form.  -XE2E_EUSAGE naming what is wrong.
 */
int xe2e_x400_content_type(char oid[XE2E_X400_OID_MAX], const char *spec, struct xe2e_err *err);

/* The name of a content type OID ("id-mct-p2-1988"), or NULL. */
const char *xe2e_x400_content_name(const char *oid);

/* The content-type parameter value for oid (RFC 3854 §3.5): the built-in
 * integer when the table has one, else the dotted OID. */
void xe2e_x400_content_spec(char spec[XE2E_X400_OID_MAX], const char *oid);

/* 1 if oid is an interpersonal-messaging content type (P2, P22). */
int xe2e_x400_is_ipm(const char *oid);

/*
 * The originator of an IPM (X.420: InformationObject ipm [0] -> heading ->
 * originator [0] ORDescriptor -> formal-name ORName), as O/R address text
 * (x400.h) into out.  1 found, 0 an IPN or no originator / no formal name,
 * -XE2E_EMALFORMED when the content does not decode as an IPM.
 */
int xe2e_x400_ipm_originator(struct xe2e_buf *out, const unsigned char *p, size_t len,
			     struct xe2e_err *err);

/* application/x400-content; content-type=SPEC, base64 body (appended). */
int xe2e_x400_entity_make(struct xe2e_buf *out, const char *spec, const unsigned char *p,
			  size_t len, struct xe2e_err *err);

/*
 * If p[0..len) is an application/x400-content entity: its content into
 * content, its type into oid, 1.  0 when it is not one (nothing changed);
 * <0 when it is one but broken (no or bad content-type parameter...).
 */
int xe2e_x400_entity_open(struct xe2e_buf *content, char oid[XE2E_X400_OID_MAX],
			  const unsigned char *p, size_t len, struct xe2e_err *err);

#endif
