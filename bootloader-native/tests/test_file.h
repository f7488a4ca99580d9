/* Test input files (vectors under test-vectors/) read whole into memory. */
#ifndef TEST_FILE_H
#define TEST_FILE_H

#include <stddef.h>
#include <stdint.h>

/* Reads DIR/NAME (NAME alone when DIR is NULL) into a malloc'd buffer with a NUL byte after the content (PEM text can be used
 * as a string); *len is the content length. NULL (and *len 0) when the file cannot be opened. */
uint8_t *t_read_file(const char *dir, const char *name, size_t *len);

#endif
