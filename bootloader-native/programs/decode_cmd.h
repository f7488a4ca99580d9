/* `ota-boot --decode IN OUT`: decodes an .xz file like xzcat, with our decoder (core/ota_xz.h). */
#ifndef DECODE_CMD_H
#define DECODE_CMD_H

/* Decodes in_path into out_path ("-" = stdout). Like xzcat, concatenated streams and zero stream
 * padding between/after them are accepted. On bad input prints one line
 * "ota-boot: E2xx NAME: detail" to stderr, writes no output file (the output goes to a
 * temporary file beside out_path that is renamed only on success) and returns the ota_err_t
 * code; 0 on success. */
int ota_decode_cmd(const char *in_path, const char *out_path);

#endif
