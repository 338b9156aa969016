/*
 * layer.c - layer records (see layer.h).
 */
#include "layer.h"
#include "x509.h"

#include <stdlib.h>
#include <string.h>

struct xe2e_layer *xe2e_layer_new(enum xe2e_layer_type type)
{
	struct xe2e_layer *l = calloc(1, sizeof(*l));

	if (l)
		l->type = type;
	return l;
}

void xe2e_layer_free(struct xe2e_layer *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < XE2E_MAX_SIGNERS; i++) {
		xe2e_buf_release(&l->signers[i].subject);
		xe2e_buf_release(&l->signers[i].names);
		xe2e_buf_release(&l->signers[i].unknown_attrs);
	}
	xe2e_certs_release(&l->certs);
	xe2e_crls_release(&l->crls);
	xe2e_info_free(l->info);
	free(l->recipients);
	free(l);
}

void xe2e_report_init(struct xe2e_report *r)
{
	memset(r, 0, sizeof(*r));
}

void xe2e_report_release(struct xe2e_report *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		xe2e_layer_free(r->layers[i]);
	memset(r, 0, sizeof(*r));
}

int xe2e_report_add(struct xe2e_report *r, struct xe2e_layer *l, struct xe2e_err *err)
{
	if (!l)
		return xe2e_err_oom(err);
	if (r->n == XE2E_MAX_LAYERS) {
		xe2e_layer_free(l);
		return xe2e_err_set(err, XE2E_EMALFORMED, "more than %d layers", XE2E_MAX_LAYERS);
	}
	r->layers[r->n++] = l;
	return 0;
}
