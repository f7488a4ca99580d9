/* One boot of the native bootloader (docs/design.md section 5): partition table, state record,
 * install of a staged package, trial-boot accounting, and the decision which image runs.
 * The result is a report; formatting it (JSON on the host) is the caller's business. */
#ifndef OTA_BOOT_H
#define OTA_BOOT_H

#include <stdint.h>
#include "ota_flash.h"
#include "ota_image.h"
#include "ota_install.h"
#include "ota_ptable.h"
#include "ota_state.h"

/* Trial boots an unconfirmed image gets; the next boot writes UNCONFIRMED. */
#define OTA_BOOT_TRIAL_MAX 3u

/* Actions taken, in the order they happen (bits of ota_boot_report_t.actions). */
enum {
    OTA_ACT_VERIFY_STAGED = 1u << 0,   /* package in staging verified */
    OTA_ACT_MARK_FAILED = 1u << 1,     /* FAILED written: package rejected, old app kept */
    OTA_ACT_MARK_INSTALLING = 1u << 2, /* INSTALLING written */
    OTA_ACT_INSTALL = 1u << 3,         /* body written into the target */
    OTA_ACT_VERIFY_INSTALLED = 1u << 4,/* installed image CRC checked right after install */
    OTA_ACT_MARK_TRIAL = 1u << 5,      /* TRIAL written */
    OTA_ACT_TRIAL_BOOT = 1u << 6,      /* a trial-boot bit cleared */
    OTA_ACT_MARK_UNCONFIRMED = 1u << 7,/* UNCONFIRMED written */
    OTA_ACT_CHECK_APP = 1u << 8,       /* app CRC checked against the installed header */
    OTA_ACT_BOOT = 1u << 9,            /* the app would be started */
    OTA_ACT_DATA_RESTORE = 1u << 10,   /* an interrupted data-partition update was restored */
    OTA_ACT_DATA_TRIAL_BOOT = 1u << 11,/* a trial boot of new data (deployment) counted */
    OTA_ACT_DATA_ROLLBACK = 1u << 12,  /* new data never confirmed: its backup restored */
};
#define OTA_ACT_COUNT 13

typedef struct ota_boot_report {
    int error;                 /* 0, or the first failure (a rejected package, a flash error) */
    int app_error;             /* why no app runs (OTA_E_INSTALL_NO_APP, ...), 0 when one does */
    int inner_error;           /* the inner image's own error behind OTA_E_IMG_INNER */
    int boot;                  /* 1: the app would run */
    uint32_t actions;
    uint32_t state_before;
    uint32_t state_after;
    uint32_t seq_after;
    uint32_t trial_boots;      /* after this boot */
    uint32_t install_attempts; /* after this boot */
    uint32_t install_count;    /* completed installs, after this boot */
    uint32_t last_error;       /* the record's last_error after this boot */
    int verify_mode;           /* OTA_VERIFY_* of the staged package, 0 if none checked */
    int app_verified;          /* the app's CRC was checked (0: skip_integrity_check or unknown) */
    int image_known;           /* `image` holds the header of what runs */
    ota_img_header_t image;
    ota_part_t app;            /* the partition that would run */
    ota_install_stats_t install;
} ota_boot_report_t;

/* Name of an action bit ("install"), for reports. */
const char *ota_boot_action_name(uint32_t bit);

/* Performs one boot. `pt`: the partition table, or NULL to read it from flash at 0x8000.
 * `w`: the installer's working memory (static in a real bootloader). Returns 0 when an app
 * runs and nothing failed, else r->error, else r->app_error. */
int ota_boot_run(const ota_flash_t *f, const ota_ptable_t *pt, ota_install_work_t *w, ota_boot_report_t *r);

#endif
