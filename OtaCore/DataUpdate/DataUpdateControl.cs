using OtaCore.State;

namespace OtaCore.DataUpdate
{
    /// <summary>
    /// The app's side of data-partition updates (docs/design.md section 15). The backup, write and
    /// restore themselves run in the native bootloader (<c>ota_data_update.c</c>); the app reads
    /// what is pending, confirms new data, or asks for the backup back. Each change is one state
    /// record write (power-cut safe like every record write); nothing here touches a data partition.
    /// </summary>
    public class DataUpdateControl
    {
        private readonly OtaStateStore _store;

        /// <summary>Creates the control over the device's state record store.</summary>
        public DataUpdateControl(OtaStateStore store)
        {
            if (store == null) throw new System.ArgumentNullException("store");
            _store = store;
        }

        /// <summary>The pending data update's phase (None without a record).</summary>
        public DataUpdatePhase Phase
        {
            get
            {
                OtaStateRecord r = _store.ReadCurrent();
                return r == null ? DataUpdatePhase.None : (DataUpdatePhase)r.DataState;
            }
        }

        /// <summary>Flash offset of the partition a pending update targets (0 when none).</summary>
        public uint Target
        {
            get
            {
                OtaStateRecord r = _store.ReadCurrent();
                return r == null ? 0 : r.DataTarget;
            }
        }

        /// <summary>
        /// Confirms new data on trial: the stored backup is dropped (fields cleared, one record
        /// write). Returns false, writing nothing, when no data update is on trial.
        /// </summary>
        public bool Confirm()
        {
            OtaStateRecord r = _store.ReadCurrent();
            if (r == null || r.DataState != (uint)DataUpdatePhase.Trial)
            {
                return false;
            }

            Clear(r);
            _store.WriteNext(r, r.State == OtaState.Downloading);
            return true;
        }

        /// <summary>
        /// Explicit restore: with a backup stored (on trial), the record is set to Writing so the
        /// bootloader copies the backup back at the next boot (the caller reboots). Returns false,
        /// writing nothing, when no backup is stored or a restore is already pending; throws
        /// StateTransition while a package is being installed (the installer owns the backup then).
        /// </summary>
        public bool RequestRestore()
        {
            OtaStateRecord r = _store.ReadCurrent();
            if (r == null || r.DataBackupLen == 0 || r.DataState != (uint)DataUpdatePhase.Trial)
            {
                return false;
            }

            if (r.State == OtaState.Installing)
            {
                throw new OtaException(OtaError.StateTransition, "a package install owns the data backup");
            }

            r.DataState = (uint)DataUpdatePhase.Writing;
            _store.WriteNext(r, r.State == OtaState.Downloading);
            return true;
        }

        /// <summary>Zeroes the five data-update fields of <paramref name="r"/> (no write).</summary>
        public static void Clear(OtaStateRecord r)
        {
            r.DataState = 0;
            r.DataTarget = 0;
            r.DataBackupAddr = 0;
            r.DataBackupLen = 0;
            r.DataBackupCrc = 0;
        }
    }
}
