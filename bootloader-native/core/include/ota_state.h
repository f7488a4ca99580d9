/* OTA state record log in `otadata` (docs/design.md section 4): two 4 KiB sectors, each holding
 * 4 record slots of 1 KiB (slot k at sector + k * 0x400). Slot layout:
 *   0x000 magic 'OTST' 0x5453544F, 0x004 seq, 0x008 state, 0x00C last_error,
 *   0x010 staged_header[64], 0x050 installed_header[64], 0x090 max_upd_no, 0x094 install_count,
 *   0x098 install_attempts, 0x09C flags, 0x0A0 source_tag[32],
 *   0x0C0 data_state, 0x0C4 data_target, 0x0C8 data_backup_addr, 0x0CC data_backup_len,
 *   0x0D0 data_backup_crc (data-partition update with backup, ota_data_update.h), 0x0D4 reserved[40] = 0,
 *   0x0FC crc = CRC-32 (raw) of 0x000..0x0FB,
 *   0x100 download bitmap[512] (bit cleared = staging block durable), 0x300 trial counter[32]
 *   (one cleared bit per trial boot, LSB first), rest 0xFF.
 * The valid record (magic, CRC, seq != 0xFFFFFFFF, state 1..7) with the highest seq over all 8
 * slots is current (ties: the lowest slot, sector 0 first). A change writes seq + 1 into the next
 * wholly erased slot after the current one in the same sector (no erase); when none is left it
 * erases the other sector and writes its slot 0. A STAGED record also moves to a fresh sector
 * when fewer than OTA_STATE_INSTALL_RESERVE erased slots would remain after it, so the install
 * boot's INSTALLING and TRIAL never erase. In a slot: bitmap copy (when kept), record bytes
 * 0x000..0x0FB, then the CRC last; a cut at any point leaves the previous record current. */
#ifndef OTA_STATE_H
#define OTA_STATE_H

#include <stdint.h>
#include "ota_flash.h"
#include "ota_image.h"

#define OTA_STATE_MAGIC        0x5453544Fu
#define OTA_STATE_RECORD_SIZE  0x100u
#define OTA_STATE_CRC_OFFSET   0x0FCu
#define OTA_STATE_BITMAP_OFFSET 0x100u
#define OTA_STATE_BITMAP_LEN   512u
#define OTA_STATE_TRIAL_OFFSET 0x300u
#define OTA_STATE_TRIAL_LEN    32u
#define OTA_STATE_FLAG_SIGNED  0x1u
#define OTA_STATE_SLOT_SIZE    0x400u
#define OTA_STATE_SLOTS        4        /* per 4 KiB sector */
#define OTA_STATE_INSTALL_RESERVE 2     /* erased slots kept after STAGED: INSTALLING, TRIAL */

typedef enum {
    OTA_STATE_NONE = 0,
    OTA_STATE_CONFIRMED = 1,
    OTA_STATE_DOWNLOADING = 2,
    OTA_STATE_STAGED = 3,
    OTA_STATE_INSTALLING = 4,
    OTA_STATE_TRIAL = 5,
    OTA_STATE_FAILED = 6,
    OTA_STATE_UNCONFIRMED = 7,
} ota_state_id_t;

typedef struct ota_state {
    uint32_t seq;
    uint32_t state;          /* ota_state_id_t */
    uint32_t last_error;
    uint8_t staged_header[OTA_IMG_HEADER_SIZE];
    uint8_t installed_header[OTA_IMG_HEADER_SIZE];
    uint32_t max_upd_no;
    uint32_t install_count;
    uint32_t install_attempts;
    uint32_t flags;
    uint8_t source_tag[32];
    /* data-partition update (docs/design.md section 15); all zero when none is pending */
    uint32_t data_state;       /* OTA_DATA_STATE_* */
    uint32_t data_target;      /* target partition offset */
    uint32_t data_backup_addr; /* where the backup lies */
    uint32_t data_backup_len;  /* bytes backed up; 0 = no backup stored */
    uint32_t data_backup_crc;  /* CRC-32 of the backup bytes */
} ota_state_t;

/* Where the current record lives: base of otadata, the sector index (-1: none valid) and the
 * slot in it (0..3). */
typedef struct ota_state_store {
    const ota_flash_t *flash;
    uint32_t base;
    int sector;
    int slot;
    ota_state_t cur;         /* state NONE, all zero, when sector == -1 */
} ota_state_store_t;

/* Name of a state ("TRIAL"), "UNKNOWN" outside 0..7. */
const char *ota_state_name(uint32_t state);

/* Encodes a record (256 bytes, CRC included) / decodes one (0, or -1 when not valid). */
void ota_state_encode(const ota_state_t *s, uint8_t rec[OTA_STATE_RECORD_SIZE]);
int ota_state_decode(const uint8_t rec[OTA_STATE_RECORD_SIZE], ota_state_t *s);

/* Flash address of the current record's slot (only meaningful when sector >= 0). */
uint32_t ota_state_record_addr(const ota_state_store_t *st);

/* Reads all 8 slots and picks the current record. Flash errors are returned; no valid record
 * is not an error (state NONE). */
int ota_state_load(ota_state_store_t *st, const ota_flash_t *f, uint32_t base);

/* Writes `next` (its seq is set to current + 1) into the next slot (rule above) and makes it
 * current. keep_bitmap copies the current download bitmap. The trial counter starts fresh. */
int ota_state_write(ota_state_store_t *st, ota_state_t *next, int keep_bitmap);

/* Trial boots recorded in the current record (cleared counter bits). */
int ota_state_trial_count(const ota_state_store_t *st, uint32_t *count);

/* Clears the next trial-counter bit (one 1-byte program, no erase); *count = new count.
 * OTA_E_STATE_BITMAP_FULL when all 256 bits are used (*count = 256, the count as it stays);
 * OTA_E_STATE_NONE_VALID without a record. */
int ota_state_add_trial_boot(ota_state_store_t *st, uint32_t *count);

#endif
