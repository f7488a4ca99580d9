/* Data-partition updates with a durable backup (docs/design.md section 15; the
 * esp_custom_part_ota model).
 *
 * Scheme 1 (backup):
 *   begin   target copied into the backup (sectors already equal are skipped), then ONE state
 *           record write stores data_state WRITING + target, backup address, length and CRC;
 *           then the whole target is erased;
 *   write   the new data, sequentially, page by page;
 *   end     the target is re-read against the written CRC; one record write clears the data
 *           fields (or sets data_state TRIAL: the backup is kept until the app confirms).
 * Restore: when a backup length is stored, the backup CRC is checked, every target sector that
 * differs from the backup is erased and reprogrammed, the target beyond the backup is erased,
 * the result re-read, and one record write clears the fields. The backup is never written
 * while a length is stored, so a power cut at any flash operation is repaired by restoring
 * again (or, before the record write of begin, by simply starting over).
 * Scheme 2 (direct): erase, write, verify; nothing in the record.
 *
 * No allocation: the caller owns ota_data_update_t (about 0.6 KiB). */
#ifndef OTA_DATA_UPDATE_H
#define OTA_DATA_UPDATE_H

#include <stdint.h>
#include "ota_flash.h"
#include "ota_ptable.h"
#include "ota_state.h"

/* state record field data_state */
#define OTA_DATA_STATE_NONE    0u
#define OTA_DATA_STATE_WRITING 1u /* backup durable, target being erased/written */
#define OTA_DATA_STATE_TRIAL   2u /* new data written, backup kept until confirm */

/* The label of a dedicated backup partition. */
#define OTA_DATA_BACKUP_LABEL "backup"

enum {
    OTA_DATA_SCHEME_BACKUP = 1,
    OTA_DATA_SCHEME_DIRECT = 2,
};

/* What ota_data_boot did (bits). */
enum {
    OTA_DATA_ACT_RESTORED = 1u << 0,   /* an interrupted update was rolled back */
    OTA_DATA_ACT_TRIAL_BOOT = 1u << 1, /* a trial boot of new data was counted */
    OTA_DATA_ACT_ROLLBACK = 1u << 2,   /* new data never confirmed: backup restored */
};

typedef struct ota_data_update {
    const ota_flash_t *flash;
    ota_state_store_t *st;
    int scheme;
    uint32_t target;       /* partition offset */
    uint32_t target_size;
    uint32_t backup;       /* backup address (scheme 1) */
    uint32_t backup_len;   /* bytes kept (scheme 1), a multiple of 4 KiB */
    uint32_t pos;          /* data bytes taken by write() */
    uint32_t crc;          /* CRC-32 (raw) of those bytes */
    uint32_t page_fill;
    uint8_t page[OTA_FLASH_PAGE_SIZE];
    uint8_t a[OTA_FLASH_PAGE_SIZE];
    uint8_t b[OTA_FLASH_PAGE_SIZE];
} ota_data_update_t;

/* Chooses where `len` bytes of backup go: `backup` when given (must not be the running app, the
 * target, otadata, nor overlap the target: OTA_E_DATA_TARGET; too small: OTA_E_DATA_NO_BACKUP),
 * else the partition labelled "backup", else staging: the part after `pkg_len` bytes of a
 * package being installed, or all of it when pkg_len is 0 and the record does not use it
 * (DOWNLOADING, STAGED, INSTALLING). Nothing fits: OTA_E_DATA_NO_BACKUP. */
int ota_data_pick_backup(const ota_ptable_t *pt, const ota_layout_t *l, const ota_state_t *s,
                         const ota_part_t *target, const ota_part_t *backup, uint32_t len,
                         uint32_t pkg_len, uint32_t *addr);

/* Starts an update of `target`. Scheme 1: backup_len (0 = the target size; rounded up to 4 KiB)
 * bytes go to backup_addr. A stored data update for another target, or one for this target
 * when resume is 0, is OTA_E_STATE_TRANSITION (restore or confirm it first). resume = 1 (the
 * installer continuing a package after a cut): a WRITING record for the same target and backup
 * keeps its backup and only the target is erased again. */
int ota_data_begin(ota_data_update_t *u, const ota_flash_t *f, ota_state_store_t *st, const ota_part_t *target,
                   int scheme, uint32_t backup_addr, uint32_t backup_len, int resume);

/* Scheme 1 without the erase: the backup step of ota_data_begin (same rules), for a writer that
 * erases as it goes (the installer's sector pipeline, which skips sectors already right). */
int ota_data_backup(ota_data_update_t *u, const ota_flash_t *f, ota_state_store_t *st, const ota_part_t *target,
                    uint32_t backup_addr, uint32_t backup_len, int resume);

/* Erases the sectors of the target from `from` (rounded up to 4 KiB) to its end that are not
 * erased already (what a writer that erases as it goes leaves of the old data). */
int ota_data_erase_tail(ota_data_update_t *u, const ota_part_t *target, uint32_t from);

/* Appends data (any length; OTA_E_IMG_TOO_LARGE past the target's end). */
int ota_data_write(ota_data_update_t *u, const uint8_t *data, uint32_t len);

/* Flushes, re-reads the target (OTA_E_INSTALL_VERIFY on a mismatch), then scheme 1 writes
 * data_state NONE (fields cleared) or, with keep_for_trial, TRIAL. */
int ota_data_end(ota_data_update_t *u, int keep_for_trial);

/* Restores the stored backup into its target (`pt` gives the target's size). Nothing stored:
 * 0. Backup CRC wrong: OTA_E_DATA_BACKUP, fields cleared with last_error = 1103. */
int ota_data_restore(ota_state_store_t *st, const ota_ptable_t *pt, ota_data_update_t *work);

/* The app confirms new data: TRIAL -> fields cleared (one record write). Not TRIAL: 0, nothing. */
int ota_data_confirm(ota_state_store_t *st);

/* Boot step: WRITING outside INSTALLING -> restore; TRIAL -> one trial boot counted (unless the
 * app's own TRIAL counted it, app_counted = 1), and restore when more than max_trials were
 * counted or app_unconfirmed is set (the app was marked UNCONFIRMED this boot). *actions gets
 * OTA_DATA_ACT_* bits. */
int ota_data_boot(ota_state_store_t *st, const ota_ptable_t *pt, ota_data_update_t *work, uint32_t max_trials,
                  int app_counted, int app_unconfirmed, uint32_t *actions);

#endif
