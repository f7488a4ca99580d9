using OtaCore;
using OtaCore.Config;
using OtaCore.Engine;
using OtaCore.State;

namespace DeviceApp.Flow
{
    /// <summary>
    /// The device's update flow, shared word for word by the nanoFramework app (DeviceApp.nfproj)
    /// and its host twin in the simulator (DeviceApp.Host.csproj); only the platform bindings
    /// differ. One <see cref="Run"/> per boot:
    /// 1. <see cref="OtaEngine.Startup"/> reports what the bootloader left (TRIAL, FAILED,
    ///    UNCONFIRMED — the last one also checks the server at once, allowing a reinstall);
    /// 2. on TRIAL or UNCONFIRMED, the health check decides, and a healthy image confirms itself;
    /// 3. one update check (<see cref="OtaEngine.Update"/>): manifest, version policy, download
    ///    into staging, verify, STAGED;
    /// 4. when staged and auto_reboot is set, the engine reboots (device: never returns; host:
    ///    the simulator's rebooter records it and the run ends).
    /// </summary>
    public class UpdateFlow
    {
        private readonly OtaConfig _config;
        private readonly OtaPlatform _platform;
        private readonly IHealthCheck _health;
        private OtaEngine _engine;
        private bool _rebootSeen;

        /// <summary>A flow over <paramref name="platform"/>; <paramref name="health"/> null = <see cref="ServerHealthCheck"/>.</summary>
        public UpdateFlow(OtaConfig config, OtaPlatform platform, IHealthCheck health)
        {
            _config = config;
            _platform = platform;
            _health = health != null ? health : new ServerHealthCheck(config, platform.Network, platform.RangeSource);
        }

        /// <summary>One line per engine event and flow decision.</summary>
        public event FlowLogHandler Log;

        /// <summary>Download progress (after every block).</summary>
        public event FlowProgressHandler Progress;

        /// <summary>The engine of the current run (null before <see cref="Run"/>); Abort it from another thread.</summary>
        public OtaEngine Engine
        {
            get { return _engine; }
        }

        /// <summary>Runs the flow once (see the class summary). Never throws for an update failure.</summary>
        public FlowOutcome Run()
        {
            FlowOutcome outcome = new FlowOutcome();
            _engine = new OtaEngine(_config, _platform);
            _engine.StateChanged += OnEvent;
            _engine.Progress += OnProgress;

            outcome.StartState = _engine.RecordState;
            outcome.RunningVersion = _engine.RunningVersion;
            Write("boot: state " + OtaStateNames.Name(outcome.StartState) + ", running " + (outcome.RunningVersion == null ? "(unknown)" : outcome.RunningVersion));

            OtaResult startup = _engine.Startup();
            if (outcome.StartState == OtaState.Unconfirmed)
            {
                outcome.Update = startup;
            }

            if (!_rebootSeen && (outcome.StartState == OtaState.Trial || outcome.StartState == OtaState.Unconfirmed)
                && _engine.RecordState == outcome.StartState)
            {
                bool healthy = _health.Check();
                outcome.HealthNote = _health.LastReason;
                if (healthy && _engine.Confirm())
                {
                    outcome.Confirmed = true;
                    Write("confirm: healthy (" + _health.LastReason + "), image confirmed");
                }
                else if (!healthy)
                {
                    Write("confirm: not healthy (" + _health.LastReason + "), staying on trial");
                }
            }

            if (!_rebootSeen && outcome.StartState != OtaState.Unconfirmed)
            {
                if (_engine.RecordState == OtaState.Trial)
                {
                    // The engine refuses to replace an image on trial (E402): it must confirm first.
                    Write("update: skipped, the running image is on trial and not confirmed");
                }
                else
                {
                    outcome.Update = _engine.Update();
                }
            }

            OtaResult r = outcome.Update;
            if (r != null)
            {
                if (r.Error == OtaError.PackageRejected)
                {
                    // Not a failure of the device: the server still offers what this device rejected.
                    Write("update: skipped, " + r.Version + " was rejected before and is not downloaded again; keeping " + r.RunningVersion + " (" + r.Message + ")");
                }
                else
                {
                    Write("update: " + (r.Error == OtaError.Ok ? (r.Staged ? "staged " + r.Version : "ok") : r.Message));
                }
            }

            if (r != null && r.StagingWriter != null)
            {
                outcome.StagingWriter = r.StagingWriter;
                Write(r.StagingWriter == "pipelined"
                    ? "staging: pipelined writer (worker thread, " + _engine.PipelineRingSize + "-byte ring, erase ahead): " + r.StagingWorkerOperations + " flash operations on the worker"
                    : "staging: erase-as-you-go writer (every erase and program in the update thread)");
            }

            if (r != null && r.Staged && !_rebootSeen)
            {
                Write("update: staged; auto_reboot is off, the next reboot installs it");
            }

            outcome.RebootRequested = _rebootSeen;
            outcome.EndState = _engine.RecordState;
            return outcome;
        }

        private void OnEvent(OtaEngine sender, OtaEvent ev, OtaError error, string detail)
        {
            if (ev == OtaEvent.Reboot)
            {
                _rebootSeen = true;
            }

            string line = "ota: " + EventName(ev);
            if (error != OtaError.Ok && EventName(ev) != OtaErrorNames.Name(error))
            {
                line += " " + OtaErrorNames.Name(error);
            }

            if (detail != null && detail.Length > 0)
            {
                line += ": " + detail;
            }

            Write(line);
        }

        private void OnProgress(OtaEngine sender, long bytes, long total)
        {
            FlowProgressHandler p = Progress;
            if (p != null)
            {
                p(bytes, total);
            }
        }

        private void Write(string line)
        {
            FlowLogHandler l = Log;
            if (l != null)
            {
                l(line);
            }
        }

        private static string EventName(OtaEvent ev)
        {
            switch (ev)
            {
                case OtaEvent.Start: return "START";
                case OtaEvent.ConnectionStart: return "CONNECTION_START";
                case OtaEvent.ConnectionFailed: return "CONNECTION_FAILED";
                case OtaEvent.Connected: return "CONNECTED";
                case OtaEvent.DownloadStart: return "DOWNLOAD_START";
                case OtaEvent.DownloadFailed: return "DOWNLOAD_FAILED";
                case OtaEvent.Downloaded: return "DOWNLOADED";
                case OtaEvent.UpgradeStart: return "UPGRADE_START";
                case OtaEvent.UpgradeFailed: return "UPGRADE_FAILED";
                case OtaEvent.Abort: return "ABORT";
                case OtaEvent.NoUpdate: return "NO_UPDATE";
                case OtaEvent.Staged: return "STAGED";
                case OtaEvent.Retry: return "RETRY";
                case OtaEvent.Reboot: return "REBOOT";
                case OtaEvent.Unconfirmed: return "UNCONFIRMED";
                case OtaEvent.Trial: return "TRIAL";
                case OtaEvent.InstallFailed: return "INSTALL_FAILED";
                case OtaEvent.Confirmed: return "CONFIRMED";
                case OtaEvent.PackageRejected: return "PACKAGE_REJECTED";
                default: return "EVENT" + (int)ev;
            }
        }
    }
}
