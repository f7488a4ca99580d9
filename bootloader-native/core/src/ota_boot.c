/* One boot (docs/design.md section 5). Power-cut safety comes from the order of writes:
 * STAGED -> INSTALLING is written before the app is touched; TRIAL only after the installed
 * image verified; a boot in INSTALLING re-verifies the intact package and installs again. */
#include "ota_boot.h"
#include "ota_data_update.h"
#include "ota_multi_image.h"
#include "ota_err.h"
#include "ota_sig_flash.h"
#include <string.h>

const char *ota_boot_action_name(uint32_t bit)
{
    static const char *const names[OTA_ACT_COUNT] = {
        "verify_staged", "mark_failed", "mark_installing", "install", "verify_installed",
        "mark_trial", "trial_boot", "mark_unconfirmed", "check_app", "boot",
        "data_restore", "data_trial_boot", "data_rollback",
    };
    for (int i = 0; i < OTA_ACT_COUNT; i++)
        if (bit == 1u << i) return names[i];
    return "unknown";
}

/* Signed mode: trusted keys built in / given, or a signed image was installed before. */
static int signed_mode(const ota_state_store_t *st, const ota_install_work_t *w)
{
    return (w->keys && w->keys->count > 0) || (st->cur.flags & OTA_STATE_FLAG_SIGNED) != 0;
}

/* The table at 0x8000 stays in flash: this view decodes rows on demand. */
static ota_ptable_t boot_pt;

/* A pending data-partition update: restore an interrupted one, count/roll back one on trial.
 * Its working memory is w->data, over the installer's idle decoder memory (no install runs). */
static int data_step(ota_state_store_t *st, const ota_ptable_t *pt, ota_install_work_t *w, ota_boot_report_t *r)
{
    uint32_t act = 0;
    int app_counted = st->cur.state == OTA_STATE_TRIAL;
    int unconfirmed = (r->actions & OTA_ACT_MARK_UNCONFIRMED) != 0;
    int rc = ota_data_boot(st, pt, &w->data, OTA_BOOT_TRIAL_MAX, app_counted, unconfirmed, &act);
    if (act & OTA_DATA_ACT_RESTORED) r->actions |= OTA_ACT_DATA_RESTORE;
    if (act & OTA_DATA_ACT_TRIAL_BOOT) r->actions |= OTA_ACT_DATA_TRIAL_BOOT;
    if (act & OTA_DATA_ACT_ROLLBACK) r->actions |= OTA_ACT_DATA_ROLLBACK;
    if (act & OTA_DATA_ACT_TRIAL_BOOT) ota_state_trial_count(st, &r->trial_boots);
    return rc;
}

static int write_state(ota_state_store_t *st, ota_state_t *next, ota_boot_report_t *r, uint32_t act)
{
    int rc = ota_state_write(st, next, 0);
    if (rc) return rc;
    r->actions |= act;
    return OTA_OK;
}

/* Functions that copy the state record (208 bytes) stay out of ota_boot_run's frame: the copy is
 * on the stack only while a record is written, not under the install and the signature check. */
#define RECORD_WRITER static __attribute__((noinline))

/* A record like the current one in another state (error != 0: also its last_error). */
RECORD_WRITER int mark_state(ota_state_store_t *st, ota_boot_report_t *r, uint32_t state, int error, uint32_t act)
{
    ota_state_t next = st->cur;
    next.state = state;
    if (error) next.last_error = (uint32_t)error;
    return write_state(st, &next, r, act);
}

/* Clears the data-partition update fields of a record about to be written. */
static void drop_data(ota_state_t *s)
{
    s->data_state = s->data_target = s->data_backup_addr = 0;
    s->data_backup_len = s->data_backup_crc = 0;
}

/* Writes the verified image (w) into its target and checks the result. */
static int write_image(ota_install_work_t *w, ota_boot_report_t *r)
{
    int rc = ota_install_write(w);
    r->install = w->stats;
    if (rc) {
        r->inner_error = w->inner_err;
        return rc;
    }
    r->actions |= OTA_ACT_INSTALL;
    rc = ota_install_check_target(w->flash, &w->inner, w->io, sizeof w->io);
    if (rc) return rc;
    if (w->sig_checked) { /* the installed image is the one that was signed (w->sig_img: idle now) */
        rc = ota_sig_check_installed(w->flash, w->inner_raw, &w->inner, &w->sig, &w->sig_img, w->io, sizeof w->io);
        if (rc) return rc;
    }
    r->actions |= OTA_ACT_VERIFY_INSTALLED;
    return OTA_OK;
}

/* TRIAL after the (last) image of w verified; data_state: what the data fields become
 * (DATA_KEEP: unchanged). */
#define DATA_KEEP 0xFFFFFFFFu
RECORD_WRITER int mark_trial(ota_state_store_t *st, ota_install_work_t *w, ota_boot_report_t *r, uint32_t data_state)
{
    ota_state_t next = st->cur;
    next.state = OTA_STATE_TRIAL;
    next.last_error = 0;
    memset(next.staged_header, 0, sizeof next.staged_header);
    if (ota_img_type(&w->inner) == OTA_IMG_TYPE_APP)
        memcpy(next.installed_header, w->inner_raw, OTA_IMG_HEADER_SIZE);
    if (w->inner.upd_no > next.max_upd_no) next.max_upd_no = w->inner.upd_no;
    next.install_count++;
    if (w->sig_checked) next.flags |= OTA_STATE_FLAG_SIGNED;
    if (data_state == OTA_DATA_STATE_NONE) {
        drop_data(&next);
    } else if (data_state != DATA_KEEP) {
        next.data_state = data_state;
    }
    return write_state(st, &next, r, OTA_ACT_MARK_TRIAL);
}

RECORD_WRITER int mark_installing(ota_state_store_t *st, ota_boot_report_t *r, int drop)
{
    ota_state_t next = st->cur;
    next.state = OTA_STATE_INSTALLING;
    next.install_attempts++;
    if (drop) /* a new package supersedes a data update left on trial */
        drop_data(&next);
    return write_state(st, &next, r, OTA_ACT_MARK_INSTALLING);
}

/* Installs the staged package: INSTALLING, write, verify, TRIAL. */
static int install(ota_state_store_t *st, ota_install_work_t *w, ota_boot_report_t *r)
{
    int rc = mark_installing(st, r, 0);
    if (!rc) rc = write_image(w, r);
    return rc ? rc : mark_trial(st, w, r, DATA_KEEP);
}

/* A verified app + data package (docs/design.md section 15): INSTALLING; the data target backed
 * up (scheme 1; an interrupted install keeps the backup it already made), its sectors beyond the
 * new data image erased, and the image written from the package; then the app; TRIAL with the
 * data on trial when the app declares deploy_compat, else with the backup dropped. A cut anywhere resumes forward from the intact package. */
static int install_chain(ota_state_store_t *st, const ota_install_target_t *t, ota_install_work_t *w,
                         ota_boot_report_t *r, const ota_part_t *data, uint32_t backup, uint32_t compat)
{
    int resume = st->cur.state == OTA_STATE_INSTALLING && st->cur.data_state == OTA_DATA_STATE_WRITING &&
                 st->cur.data_target == data->offset;
    int rc = mark_installing(st, r, !resume);
    if (rc) return rc;
    /* w holds the data image, verified last; w->data overlays its decoder memory, so the data
     * step is done before the image is decoded into the target */
    rc = ota_data_backup(&w->data, st->flash, st, data, backup, 0, 1);
    if (!rc) rc = ota_data_erase_tail(&w->data, data, w->inner.img_len);
    if (rc) return rc;
    int mode;
    rc = write_image(w, r);
    if (!rc) rc = ota_install_verify(w, st->flash, t, &mode);
    if (!rc) rc = write_image(w, r);
    if (rc) return rc;
    return mark_trial(st, w, r, compat ? OTA_DATA_STATE_TRIAL : OTA_DATA_STATE_NONE);
}

/* STAGED or INSTALLING: verify, then install or reject. Returns 0 when the boot may go on to
 * the app (installed, or rejected in STAGED), else the error that stops it. A multi-image
 * package has every image verified and its data backup placed before anything is written. */
static int handle_staged(ota_state_store_t *st, const ota_ptable_t *pt, const ota_layout_t *l,
                         ota_install_work_t *w, ota_boot_report_t *r)
{
    ota_install_target_t t = { pt, l, st->cur.max_upd_no, signed_mode(st, w), 0 };
    int rc = ota_install_verify(w, st->flash, &t, &r->verify_mode);
    uint32_t next = rc ? 0 : w->outer.next, compat = w->outer.flags & OTA_FLAG_DEPLOY_COMPAT;
    ota_part_t data; /* the data image's target partition */
    uint32_t backup = 0;
    if (next) {
        ota_install_target_t t2 = t;
        t2.image_offset = next;
        int mode;
        rc = ota_install_verify(w, st->flash, &t2, &mode);
        if (!rc) {
            rc = ota_ptable_at(pt, w->outer.img_addr, &data); /* found: checked by the verify */
            if (!rc)
                rc = ota_data_pick_backup(pt, l, &st->cur, &data, NULL, 0,
                                          next + (uint32_t)ota_img_total_len(&w->outer), &backup);
        }
    }
    if (rc == OTA_E_FLASH_POWER_CUT || rc == OTA_E_FLASH_IO) return rc;
    if (rc) {
        r->error = rc;
        r->inner_error = w->inner_err;
        if (st->cur.state == OTA_STATE_INSTALLING) return rc; /* app partly written: stop */
        int wrc = mark_state(st, r, OTA_STATE_FAILED, rc, OTA_ACT_MARK_FAILED);
        return wrc ? wrc : OTA_OK; /* the old app is untouched: boot it */
    }
    r->actions |= OTA_ACT_VERIFY_STAGED;
    if (next) return install_chain(st, &t, w, r, &data, backup, compat);
    return install(st, w, r);
}

static int trial_boot(ota_state_store_t *st, ota_boot_report_t *r)
{
    uint32_t n;
    int rc = ota_state_add_trial_boot(st, &n);
    if (rc && rc != OTA_E_STATE_BITMAP_FULL) return rc;
    if (rc == OTA_OK) r->actions |= OTA_ACT_TRIAL_BOOT; /* full: n is the count as it stays */
    r->trial_boots = n;
    if (n > OTA_BOOT_TRIAL_MAX) return mark_state(st, r, OTA_STATE_UNCONFIRMED, 0, OTA_ACT_MARK_UNCONFIRMED);
    return OTA_OK;
}

/* Decides whether the app runs: a known installed header must match the app's CRC (unless
 * skip_integrity_check outside signed mode); without one the app runs if it is not erased. */
static int check_app(const ota_state_store_t *st, const ota_layout_t *l, ota_install_work_t *w,
                     ota_boot_report_t *r)
{
    ota_img_header_t h;
    r->app = l->app;
    if (st->sector >= 0 && ota_image_parse_header(st->cur.installed_header, OTA_IMG_HEADER_SIZE, &h) == OTA_OK) {
        if (h.img_addr != l->app.offset || h.img_len > l->app.size) return OTA_E_INSTALL_NO_APP;
        r->image = h;
        r->image_known = 1;
        int skip = (h.flags & OTA_FLAG_SKIP_INTEGRITY) && !signed_mode(st, w);
        if (r->actions & OTA_ACT_VERIFY_INSTALLED) {
            r->app_verified = 1; /* checked a moment ago, right after the install */
        } else if (!skip) {
            int rc = ota_install_check_target(st->flash, &h, w->io, sizeof w->io);
            r->actions |= OTA_ACT_CHECK_APP;
            if (rc == OTA_E_INSTALL_VERIFY) return OTA_E_INSTALL_NO_APP;
            if (rc) return rc;
            r->app_verified = 1;
        }
        return OTA_OK;
    }
    uint8_t first[4];
    int rc = ota_flash_read(st->flash, l->app.offset, first, sizeof first);
    if (rc) return rc;
    if (ota_flash_is_erased(first, sizeof first))
        return OTA_E_INSTALL_NO_APP;
    return OTA_OK;
}

int ota_boot_run(const ota_flash_t *f, const ota_ptable_t *pt, ota_install_work_t *w, ota_boot_report_t *r)
{
    ota_layout_t l;
    ota_state_store_t st;
    memset(r, 0, sizeof *r);
    int rc = OTA_OK;
    if (!pt) {
        rc = ota_ptable_open(f, OTA_PT_ADDR, &boot_pt);
        pt = &boot_pt;
    }
    if (!rc) rc = ota_ptable_check(pt, f->size);
    if (!rc) rc = ota_ptable_layout(pt, &l);
    if (!rc) rc = ota_state_load(&st, f, l.otadata.offset);
    if (rc) {
        r->error = rc;
        r->app_error = OTA_E_INSTALL_NO_APP;
        return rc;
    }
    r->state_before = st.cur.state;

    if (st.cur.data_state == OTA_DATA_STATE_WRITING && st.cur.state != OTA_STATE_INSTALLING) {
        rc = data_step(&st, pt, w, r); /* an interrupted data update is undone before anything else */
        if (rc == OTA_E_FLASH_POWER_CUT || rc == OTA_E_FLASH_IO) {
            r->error = rc;
            goto done;
        }
        if (rc) r->error = rc;
    }
    if (st.cur.state == OTA_STATE_STAGED || st.cur.state == OTA_STATE_INSTALLING) {
        rc = handle_staged(&st, pt, &l, w, r);
        if (rc) {
            r->error = rc;
            goto done;
        }
    }
    if (st.cur.state == OTA_STATE_TRIAL) {
        rc = trial_boot(&st, r);
        if (rc) {
            r->error = rc;
            goto done;
        }
    }
    if (st.cur.data_state != 0) {
        rc = data_step(&st, pt, w, r);
        if (rc == OTA_E_FLASH_POWER_CUT || rc == OTA_E_FLASH_IO) {
            r->error = rc;
            goto done;
        }
        if (rc) r->error = rc; /* a bad backup is reported; the app still runs */
    }
    if (st.cur.state == OTA_STATE_INSTALLING) {
        r->app_error = OTA_E_INSTALL_NO_APP; /* never boot a partly written app */
        goto done;
    }
    rc = check_app(&st, &l, w, r);
    if (rc) {
        r->app_error = rc;
        goto done;
    }
    r->boot = 1;
    r->actions |= OTA_ACT_BOOT;
done:
    if (!r->boot && !r->app_error) r->app_error = OTA_E_INSTALL_NO_APP;
    r->state_after = st.cur.state;
    r->seq_after = st.cur.seq;
    r->install_attempts = st.cur.install_attempts;
    r->install_count = st.cur.install_count;
    r->last_error = st.cur.last_error;
    if (!(r->actions & OTA_ACT_TRIAL_BOOT) && st.cur.state >= OTA_STATE_TRIAL)
        ota_state_trial_count(&st, &r->trial_boots);
    return r->error ? r->error : r->app_error;
}
