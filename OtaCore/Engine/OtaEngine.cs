using OtaCore.Config;
using OtaCore.Download;
using OtaCore.Image;
using OtaCore.Manifest;
using OtaCore.Platform;
using OtaCore.Security;
using OtaCore.State;

namespace OtaCore.Engine
{
    /// <summary>
    /// The managed OTA engine: Idle → NetworkCheck → VersionCheck → Download → Verify → Staged →
    /// Reboot, reporting WinnerMicro-style events and progress. Synchronous: <see cref="Update"/>
    /// runs the whole flow on the caller's thread; <see cref="Abort"/> may be called from another
    /// thread. A download interrupted by a reboot or power loss continues where the durable
    /// progress in the state record ends. See docs/design.md "OtaCore engine".
    /// </summary>
    public class OtaEngine
    {
        /// <summary>Largest manifest accepted, bytes.</summary>
        public const int MaxManifestLength = 4096;

        private readonly OtaConfig _config;
        private readonly OtaPlatform _p;
        private readonly OtaStateStore _store;
        private readonly RangeDownloader _downloader;
        private readonly StagingWriter _writer;
        private readonly PackageSignatureCheck _signature;
        private readonly byte[] _buffer;
        private readonly byte[] _probeHeader = new byte[ImageHeader.Size];
        private OtaEngineState _state;
        private string _running;
        private bool _allowSame;
        private bool _allowOlder;
        private string _offered;
        private bool _streamed;
        private readonly TrustedKeyRing _keys;
        private bool _forgetRejected;

        // The state as this run found it; its max_upd_no and flags hold for the whole run.
        private OtaStateRecord _runRecord;

        /// <summary>
        /// Creates an engine. Allocates its one block buffer (BlockSize bytes, at least 256) here;
        /// nothing per block later. Throws E608 CONFIG when a platform part is missing, E807
        /// SIG_KEY_FORMAT when a <c>signing_keys</c> entry is not a P-256 public key.
        /// </summary>
        public OtaEngine(OtaConfig config, OtaPlatform platform)
        {
            if (config == null || platform == null || platform.RangeSource == null || platform.Network == null
                || platform.Clock == null || platform.Native == null || platform.Staging == null
                || platform.OtaData == null || platform.App == null)
            {
                throw new OtaException(OtaError.Config, "OtaEngine needs a config and every platform part but Rebooter");
            }

            _config = config;
            _p = platform;
            _store = new OtaStateStore(platform.OtaData);
            byte[] buffer = new byte[config.BlockSize < 256 ? 256 : config.BlockSize];
            _buffer = buffer;
            TrustedKeyRing keys = new TrustedKeyRing();
            for (int i = 0; i < config.SigningKeys.Count; i++)
            {
                keys.Add(TrustedKey.FromPem((string)config.SigningKeys[i], platform.Native));
            }

            _keys = keys;
            _signature = new PackageSignatureCheck(platform.Native, keys);
            _downloader = new RangeDownloader(platform.RangeSource, platform.Network, platform.Clock, config, buffer);
            _writer = new StagingWriter(platform.Staging, platform.App, _store, platform.Native, buffer);
            _writer.OtaData = platform.OtaData;
            if (config.StagingPipeline)
            {
                byte[] ring = platform.StagingPipelineRing != null ? platform.StagingPipelineRing : new byte[config.PipelineRingSize];
                _writer.Pipeline = new StagingPipeline(platform.Staging, _store, ring);
            }

            _downloader.Retrying += OnRetry;
            _downloader.Progress += OnProgress;
        }

        /// <summary>Engine events (see <see cref="OtaEvent"/>).</summary>
        public event OtaEventHandler StateChanged;

        /// <summary>Download progress after every block.</summary>
        public event OtaProgressEventHandler Progress;

        /// <summary>The configuration in use.</summary>
        public OtaConfig Config
        {
            get { return _config; }
        }

        /// <summary>
        /// True when downloads are staged by the pipelined writer (config "staging_pipeline",
        /// default), false for erase-as-you-go in the engine's thread.
        /// </summary>
        public bool PipelinedStaging
        {
            get { return _writer.Pipeline != null; }
        }

        /// <summary>Bytes of the pipeline's page ring (0 without a pipeline).</summary>
        public int PipelineRingSize
        {
            get { return _writer.Pipeline == null ? 0 : _writer.Pipeline.RingSize; }
        }

        /// <summary>
        /// True while the pipeline's staging worker thread exists. Never true once
        /// <see cref="Update"/> or <see cref="Startup"/> has returned: every run ends the worker.
        /// </summary>
        public bool StagingWorkerRunning
        {
            get { return _writer.Pipeline != null && _writer.Pipeline.WorkerRunning; }
        }

        /// <summary>Where the update flow is.</summary>
        public OtaEngineState State
        {
            get { return _state; }
        }

        /// <summary>The OTA state record store (otadata), shared with the bootloader.</summary>
        public OtaStateStore Store
        {
            get { return _store; }
        }

        /// <summary>The state in the OTA state record.</summary>
        public OtaState RecordState
        {
            get { return _store.State; }
        }

        /// <summary>Version of the running image (installed header), or null when unknown.</summary>
        public string RunningVersion
        {
            get
            {
                OtaStateRecord r = _store.ReadCurrent();
                return r == null ? null : r.InstalledVersion;
            }
        }

        /// <summary>
        /// Call once at application start. Reports the state the bootloader left: TRIAL →
        /// <see cref="OtaEvent.Trial"/> (the app should check its health and call
        /// <see cref="Confirm"/>); FAILED → <see cref="OtaEvent.InstallFailed"/> with last_error;
        /// UNCONFIRMED → <see cref="OtaEvent.Unconfirmed"/> and an immediate
        /// <see cref="Update"/> that also accepts the same version (a reinstall), whose result it
        /// returns. Otherwise returns a result with <see cref="OtaError.Ok"/>, not staged.
        /// </summary>
        public OtaResult Startup()
        {
            OtaStateRecord r = _store.ReadCurrent();
            OtaState s = r == null ? OtaState.None : r.State;
            OtaResult res = new OtaResult();
            res.Error = OtaError.Ok;
            res.Message = "state " + OtaStateNames.Name(s);
            res.RunningVersion = r == null ? null : r.InstalledVersion;
            if (s == OtaState.Unconfirmed)
            {
                Fire(OtaEvent.Unconfirmed, OtaError.Ok, "running image " + res.RunningVersion + " never confirmed; checking for an update now");
                return Run(true);
            }

            if (s == OtaState.Trial)
            {
                Fire(OtaEvent.Trial, OtaError.Ok, "trial boot " + _store.CountTrialBoots() + ": confirm when healthy");
            }
            else if (s == OtaState.Failed)
            {
                Fire(OtaEvent.InstallFailed, r.LastError, "the bootloader rejected the staged package: " + OtaErrorNames.Name(r.LastError));
            }

            return res;
        }

        /// <summary>
        /// Runs one update check and, when the server offers an acceptable version, downloads,
        /// verifies and stages it (then reboots when auto_reboot). Never throws for a failed step:
        /// the result carries the error (NoUpdate when there is nothing to do). An injected power
        /// cut (FlashPowerCut) also ends up in the result.
        /// </summary>
        public OtaResult Update()
        {
            return Run(false);
        }

        /// <summary>
        /// Lets the next <see cref="Update"/> download a package this device rejected before for a
        /// reason a new download cannot fix (E611 PACKAGE_REJECTED otherwise). One-shot: the flag
        /// is used up by the next run that reaches the package, and a package rejected again is
        /// remembered again. Nothing is written to flash.
        /// </summary>
        public void ForgetRejected()
        {
            _forgetRejected = true;
        }

        /// <summary>
        /// True for an error that rejects the package itself, so the same package downloaded again
        /// would be rejected again: image format 1xx, xz 2xx, install/anti-rollback 5xx, signature
        /// 8xx, data update 11xx. Flash 3xx, state 4xx, network 6xx (and an abort), partition
        /// table 7xx and host errors are never final: the package is downloaded again.
        /// </summary>
        public static bool IsFinalRejection(OtaError code)
        {
            int c = (int)code;
            return (c >= 100 && c < 300) || (c >= 500 && c < 600) || (c >= 800 && c < 900) || (c >= 1100 && c < 1200);
        }

        /// <summary>Stops a running <see cref="Update"/> at the next block (E609 ABORTED). Thread-safe.</summary>
        public void Abort()
        {
            _downloader.Abort();
        }

        /// <summary>
        /// Confirms the running image: TRIAL or UNCONFIRMED → CONFIRMED (one state write). Returns
        /// false, changing nothing, in any other state (nothing to confirm, or an update is in
        /// progress and must not be overwritten).
        /// </summary>
        public bool Confirm()
        {
            OtaStateRecord r = _store.ReadCurrent();
            if (r == null || (r.State != OtaState.Trial && r.State != OtaState.Unconfirmed))
            {
                return false;
            }

            r.State = OtaState.Confirmed;
            r.LastError = OtaError.Ok;
            r.SourceTag = new byte[OtaStateRecord.SourceTagLength];
            if (r.DataState == (uint)OtaCore.DataUpdate.DataUpdatePhase.Trial)
            {
                OtaCore.DataUpdate.DataUpdateControl.Clear(r); // the deployment installed with this app confirms with it
            }

            _store.WriteNext(r, false);
            ImageHeader ih = r.InstalledHeader;
            Fire(OtaEvent.Confirmed, OtaError.Ok, ih == null ? "" : ih.Version);
            return true;
        }

        /// <summary>Reports <see cref="OtaEvent.Reboot"/> and reboots through the platform (if any).</summary>
        public void Reboot()
        {
            _state = OtaEngineState.Reboot;
            Fire(OtaEvent.Reboot, OtaError.Ok, "");
            if (_p.Rebooter != null)
            {
                _p.Rebooter.Reboot();
            }

            _state = _store.State == OtaState.Staged ? OtaEngineState.Staged : OtaEngineState.Idle;
        }

        private OtaResult Run(bool reinstall)
        {
            OtaResult res = new OtaResult();
            _downloader.ClearAbort();
            int ops0 = _writer.Pipeline == null ? 0 : _writer.Pipeline.Operations;
            _streamed = false;
            int req0 = _downloader.Requests;
            int retry0 = _downloader.Retries;
            long bytes0 = _downloader.BytesReceived;
            Fire(OtaEvent.Start, OtaError.Ok, "");
            try
            {
                RunSteps(res, reinstall);
            }
            catch (OtaException e)
            {
                res.Error = e.Code;
                res.Message = e.Message;
                Fire(FailureEvent(e.Code), e.Code, e.Message);
                _state = OtaEngineState.Idle;
            }
            finally
            {
                // No worker outlives the run: the pages it still holds are programmed (and marked
                // durable) and its thread ends, whether the run staged, failed or was aborted.
                _writer.StopPipeline();
                if (_streamed)
                {
                    res.StagingWriter = _writer.Pipeline != null ? "pipelined" : "erase-as-you-go";
                }

                res.StagingWorkerOperations = _writer.Pipeline == null ? 0 : _writer.Pipeline.Operations - ops0;
                res.Requests = _downloader.Requests - req0;
                res.Retries = _downloader.Retries - retry0;
                res.BytesReceived = _downloader.BytesReceived - bytes0;
            }

            if (res.Staged && _config.AutoReboot)
            {
                Reboot();
            }

            return res;
        }

        private void RunSteps(OtaResult res, bool reinstall)
        {
            _state = OtaEngineState.NetworkCheck;
            if (!_config.OtaEnabled || !_config.HttpEnabled)
            {
                throw new OtaException(OtaError.OtaDisabled, !_config.OtaEnabled ? "ota_enabled is false" : "http_enabled is false");
            }

            if (_config.Server.Length == 0)
            {
                throw new OtaException(OtaError.Config, "server: not set");
            }

            Fire(OtaEvent.ConnectionStart, OtaError.Ok, _config.Server);
            if (!_p.Network.IsConnected)
            {
                throw new OtaException(OtaError.NetDown, "network not connected");
            }

            _state = OtaEngineState.VersionCheck;
            OtaStateRecord rec = _store.ReadCurrent();
            _runRecord = rec;
            if (rec != null && rec.State == OtaState.Trial)
            {
                throw new OtaException(OtaError.StateTransition, "the running image is on trial: Confirm() it before updating");
            }

            _running = rec == null ? null : rec.InstalledVersion;
            res.RunningVersion = _running;
            string manifestUrl = _config.Server + "/manifest/" + _config.Device + "/" + _config.Channel + ".json";
            byte[] mbytes = _downloader.FetchWhole(manifestUrl, MaxManifestLength);
            UpdateManifest m = UpdateManifest.Parse(
                System.Text.Encoding.UTF8.GetString(mbytes, 0, mbytes.Length), _config.Device, _config.Channel);
            res.Version = m.Version;
            Fire(OtaEvent.Connected, OtaError.Ok, "server offers " + m.Version + ", running " + (_running == null ? "unknown" : _running));

            _allowSame = _config.AllowSameVersion || reinstall;
            _allowOlder = _config.AllowDowngrade;
            _offered = m.Version;
            bool olderNeedsFlag = false;
            if (!VersionPolicy.Accepts(_running, m.Version, _allowSame, _allowOlder))
            {
                if (ImageHeader.CompareVersions(m.Version, _running) == 0)
                {
                    NoUpdate(res, m.Version);
                    return;
                }

                olderNeedsFlag = true;
            }

            _state = OtaEngineState.Download;
            string url = m.ResolveUrl(_config.Server);
            RangeProbe probe = _downloader.Probe(url, _probeHeader, ImageHeader.Size);
            if (probe.TotalLength != m.Size)
            {
                throw new OtaException(OtaError.HttpLength, url + " is " + probe.TotalLength + " bytes, the manifest says " + m.Size);
            }

            _writer.ChainLength = m.Size; // a multi-image package's length is the manifest's (section 15)
            ImageHeader h = _writer.CheckHeader(_probeHeader, 0);
            long packageLength = _writer.PackageLength(h);
            if (packageLength != m.Size)
            {
                throw new OtaException(OtaError.HttpLength, "package header says " + packageLength + " bytes, the manifest says " + m.Size);
            }

            if (h.Version != m.Version || h.UpdNo != m.UpdNo)
            {
                throw new OtaException(OtaError.HttpLength, "package header says version " + h.Version + " upd_no " + h.UpdNo + ", the manifest says " + m.Version + " upd_no " + m.UpdNo);
            }

            if (m.HasCrc32 && h.OrgChecksum != m.Crc32)
            {
                throw new OtaException(OtaError.HttpLength, "package header org_checksum 0x" + h.OrgChecksum.ToString("X8") + ", the manifest says 0x" + m.Crc32.ToString("X8"));
            }

            if (olderNeedsFlag && !h.SkipUpgradeCheck)
            {
                NoUpdate(res, m.Version);
                return;
            }

            byte[] tag = StagingWriter.ComputeSourceTag(_p.Native, url, probe.ETag);
            byte[] firstRejection = RejectionTag(tag, m.Sha256, 1);
            byte[] rejectionTag = RejectionTag(tag, m.Sha256, 2);
            bool forget = _forgetRejected;
            _forgetRejected = false;
            if (!forget && rec != null && IsRememberedRejection(rec, tag, rejectionTag))
            {
                PackageRejected(res, rec, h);
                return;
            }

            CheckHeaderPolicy(h);
            res.PackageLength = packageLength;
            if (rec != null && rec.State == OtaState.Staged && Bytes.Equal(rec.SourceTag, tag) && Bytes.Equal(rec.StagedHeaderBytes, _probeHeader))
            {
                res.Staged = true;
                res.Error = OtaError.Ok;
                res.Message = "version " + m.Version + " is already staged";
                _state = OtaEngineState.Staged;
                Fire(OtaEvent.Staged, OtaError.Ok, res.Message);
                return;
            }

            _streamed = true;
            long from = _writer.TryResume(tag, _probeHeader, CheckHeaderPolicy);
            if (from < 0)
            {
                _writer.Begin(tag, _probeHeader, CheckHeaderPolicy);
                from = 0;
            }

            res.ResumedFrom = from;
            Fire(OtaEvent.DownloadStart, OtaError.Ok, url + (from > 0 ? " from byte " + from : ""));
            try
            {
                _downloader.Fetch(url, packageLength, probe.ETag, _writer);
                _writer.Flush(); // pipelined: every page programmed before the package is read back
                Fire(OtaEvent.Downloaded, OtaError.Ok, packageLength + " bytes");

                _state = OtaEngineState.Verify;
                Fire(OtaEvent.UpgradeStart, OtaError.Ok, "");
                VerifySignature(h);
                _writer.Finish(m.Sha256);
            }
            catch (OtaException e)
            {
                if (IsFinalRejection(e.Code))
                {
                    // the first rejection may be the bytes' fault (a flash or transfer error): it is
                    // remembered as such and the package is downloaded once more; the second in a
                    // row is the package's own fault and stops the downloads
                    bool again = rec != null && rec.State == OtaState.Downloading && IsFinalRejection(rec.LastError)
                        && Bytes.Equal(rec.SourceTag, firstRejection) && Bytes.Equal(rec.StagedHeaderBytes, _probeHeader);
                    RememberRejection(e.Code, again ? rejectionTag : firstRejection);
                }

                throw;
            }

            _state = OtaEngineState.Staged;
            res.Staged = true;
            res.Error = OtaError.Ok;
            res.Message = "version " + m.Version + " staged";
            Fire(OtaEvent.Staged, OtaError.Ok, res.Message);
        }

        // The header-time policy shared by probe and stream: version (E118) and anti-rollback
        // (E503).
        private void CheckHeaderPolicy(ImageHeader h)
        {
            if (h.Version != _offered)
            {
                throw new OtaException(OtaError.HttpLength, "package header says version " + h.Version + ", expected " + _offered);
            }

            if (!VersionPolicy.Accepts(_running, h.Version, _allowSame, _allowOlder || h.SkipUpgradeCheck))
            {
                throw new OtaException(OtaError.ImgOldVersion, "version " + h.Version + " is not newer than running " + _running + " (" + VersionPolicy.Describe(_running, h.Version) + ") and the policy forbids it");
            }

            // Signed mode and anti-rollback. Only the bootloader changes max_upd_no and the
            // signed-seen flag, so the run's record serves the probe and the stream without
            // reading otadata again.
            OtaStateRecord r = _runRecord;
            bool signedMode = VersionPolicy.SignedMode(_signature.SignedMode, r);
            if (signedMode && !h.Signed)
            {
                throw new OtaException(OtaError.SigMissing, "the device runs in signed mode; version " + h.Version + " is not signed");
            }

            VersionPolicy.CheckRollback(h, r, signedMode);
        }

        // Before STAGED: the package as it lies in staging, signature first (docs/design.md
        // "Signature block and signed mode"). A rejected package's progress is dropped, so the
        // next attempt starts from byte 0.
        private void VerifySignature(ImageHeader h)
        {
            if (!_signature.SignedMode && !h.Signed)
            {
                return;
            }

            try
            {
                _signature.VerifyStaged(_p.Staging, _buffer);
            }
            catch (OtaException e)
            {
                if (!IsFinalRejection(e.Code))
                {
                    _writer.DropProgress(e.Code); // a final rejection is remembered by the caller instead
                }

                throw;
            }
        }

        // docs/design.md section 9 "Rejected packages": the offered package is the one the record
        // remembers as rejected for good. The bootloader's FAILED keeps the download's source tag
        // (zero when unknown); the engine's own rejection is a DOWNLOADING record whose tag is the
        // rejection tag, so it never resumes and a changed trust set no longer matches.
        private bool IsRememberedRejection(OtaStateRecord rec, byte[] tag, byte[] rejectionTag)
        {
            if (!IsFinalRejection(rec.LastError) || !Bytes.Equal(rec.StagedHeaderBytes, _probeHeader))
            {
                return false;
            }

            if (rec.State == OtaState.Failed)
            {
                return Bytes.IsZero(rec.SourceTag) || Bytes.Equal(rec.SourceTag, tag) || Bytes.Equal(rec.SourceTag, rejectionTag);
            }

            return rec.State == OtaState.Downloading && Bytes.Equal(rec.SourceTag, rejectionTag);
        }

        // The identity of a rejection by this engine: SHA-256(source tag || manifest sha256 ||
        // "trust" + the count || the trusted keys' points in config order), count 1 for the first
        // rejection of this offer, 2 for the second in a row (only that one stops the downloads).
        // Any change of URL, ETag, the manifest's hash or the signing_keys list gives another tag,
        // so the package is checked again; no extra storage, two small hashes per check.
        private byte[] RejectionTag(byte[] tag, byte[] manifestSha256, int count)
        {
            INativeServices n = _p.Native;
            int hash = n.Sha256Begin();
            n.Sha256Update(hash, tag, 0, tag.Length);
            n.Sha256Update(hash, manifestSha256, 0, manifestSha256.Length);
            byte[] marker = System.Text.Encoding.UTF8.GetBytes("trust" + count);
            n.Sha256Update(hash, marker, 0, marker.Length);
            for (int i = 0; i < _keys.Count; i++)
            {
                byte[] point = _keys.Get(i).Point;
                n.Sha256Update(hash, point, 0, point.Length);
            }

            byte[] result = new byte[OtaStateRecord.SourceTagLength];
            n.Sha256Finish(hash, result, 0);
            return result;
        }

        // After a final rejection of the downloaded package: one DOWNLOADING record with the
        // package's header, the rejection tag, last_error and a fresh bitmap (the progress is
        // dropped, as for any verification failure).
        private void RememberRejection(OtaError code, byte[] rejectionTag)
        {
            _writer.StopPipeline();
            OtaStateRecord r = _store.ReadCurrent();
            if (r == null || r.State != OtaState.Downloading || !Bytes.Equal(r.StagedHeaderBytes, _probeHeader))
            {
                return;
            }

            r.SourceTag = rejectionTag;
            r.LastError = code;
            _store.WriteNext(r, false);
        }

        private void PackageRejected(OtaResult res, OtaStateRecord rec, ImageHeader h)
        {
            res.Error = OtaError.PackageRejected;
            res.Message = OtaErrorNames.Format(OtaError.PackageRejected, "the server still offers version " + h.Version + " (upd_no " + h.UpdNo + ") that "
                + (rec.State == OtaState.Failed ? "the bootloader" : "this device") + " rejected with E" + (int)rec.LastError + " " + OtaErrorNames.Name(rec.LastError)
                + "; not downloading it again until the package or the signing keys change; running " + (_running == null ? "unknown" : _running));
            _state = OtaEngineState.Idle;
            Fire(OtaEvent.PackageRejected, OtaError.PackageRejected, res.Message);
        }

        private void NoUpdate(OtaResult res, string offered)
        {
            res.Error = OtaError.NoUpdate;
            res.Message = OtaErrorNames.Format(OtaError.NoUpdate, "server offers " + offered + ", running " + _running + " (" + VersionPolicy.Describe(_running, offered) + ")");
            _state = OtaEngineState.Idle;
            Fire(OtaEvent.NoUpdate, OtaError.NoUpdate, res.Message);
        }

        private OtaEvent FailureEvent(OtaError code)
        {
            if (code == OtaError.Aborted)
            {
                return OtaEvent.Abort;
            }

            switch (_state)
            {
                case OtaEngineState.NetworkCheck:
                case OtaEngineState.VersionCheck:
                    return OtaEvent.ConnectionFailed;
                case OtaEngineState.Verify:
                    return OtaEvent.UpgradeFailed;
                default:
                    return OtaEvent.DownloadFailed;
            }
        }

        private void OnRetry(OtaError code, string message, int failuresInARow)
        {
            Fire(OtaEvent.Retry, code, message);
        }

        private void OnProgress(long bytes, long total)
        {
            OtaProgressEventHandler h = Progress;
            if (h != null)
            {
                h(this, bytes, total);
            }
        }

        private void Fire(OtaEvent ev, OtaError error, string detail)
        {
            OtaEventHandler h = StateChanged;
            if (h != null)
            {
                h(this, ev, error, detail);
            }
        }
    }
}
