/*
 * stanzas.h - the stanza input loop wrap and unwrap share: one stanza, or
 * with --stream a sequence of stanzas or a whole <stream:stream> read
 * incrementally, each result written (and so flushed) as soon as its
 * stanza is done, so that the command works as a filter on a live
 * connection.  The stream header and end tag, and top-level elements that
 * are not stanzas, are copied through.
 */
#ifndef XE2E_CMD_STANZAS_H
#define XE2E_CMD_STANZAS_H

#include "common.h"
#include "../lib/stanza.h"

/* Handle one stanza (number n, from 1): append its output to out, report
 * its outcome (summary, error line, JSON) and return its exit status; in a
 * stream the loop goes on after a failure, alone it writes nothing. */
typedef int (*cmd_stanza_fn)(void *data, struct xe2e_xml_node *stanza,
			     const struct xe2e_xml_node *header, size_t n, struct xe2e_buf *out);

/*
 * Read the input (path NULL: standard input), call fn per stanza, write to
 * cc->out (atomically, at the end, without --stream; as results come with
 * it).  With state, the stanzas read in one go are one replay batch
 * (state.h): recorded before they are written.  Returns the exit status:
 * the first failure's, or 0.
 */
struct xe2e_state;
int cmd_stanza_loop(const struct cmd_common *cc, const char *path, int stream, size_t max_bytes,
		    struct xe2e_state *state, cmd_stanza_fn fn, void *data);

/*
 * What wrap and unwrap do once their keys are loaded: open the state
 * directory (DESIGN §5) into *state, with --stream keep validated chains
 * (ctx.h), run cmd_stanza_loop over the one input (replay batches in state
 * when batches), close the state.  Returns the exit status.
 */
int cmd_stanza_run(const struct cmd_common *cc, struct xe2e_ctx *ctx, struct xe2e_state *state,
		   const char *state_dir, int stream, int batches, cmd_stanza_fn fn, void *data);

#endif
