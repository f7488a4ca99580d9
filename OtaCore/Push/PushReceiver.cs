using OtaCore.Download;
using OtaCore.Engine;
using OtaCore.Image;
using OtaCore.Platform;
using OtaCore.State;
using OtaCore.Text;

namespace OtaCore.Push
{
    /// <summary>
    /// The device side of an ArduinoOTA network push as a state machine the platform's transport
    /// drives (<see cref="PushServer"/> does it over an <see cref="IPushTransport"/>):
    /// <see cref="HandleDatagram"/> takes the invitation "cmd port size md5\n" and answers "OK" or
    /// "AUTH nonce", then the login "200 cnonce response\n" (answer "OK" or "Authentication
    /// Failed", with a growing back-off after failures); <see cref="BeginTransfer"/> once the data
    /// connection is up; <see cref="Receive"/> per TCP read (answers the byte count);
    /// <see cref="Finish"/> after the last byte (checks size and MD5, answers "OK" or "ERROR ...").
    /// Everything is written through the same <see cref="StagingWriter"/> as the HTTP download
    /// (same header checks, same DOWNLOADING → STAGED records, same power-loss behaviour). Our
    /// .img / _ota.img packages are staged as they are; any other file is raw firmware (or, for
    /// command 100, a raw filesystem image) and gets a full image header built on the device
    /// (docs/design.md "Network push (ArduinoOTA)"). Not thread-safe: one transport thread.
    /// </summary>
    public class PushReceiver
    {
        /// <summary>Random bytes in a login nonce (sent as 32 hex characters).</summary>
        public const int NonceBytes = 16;

        /// <summary>How long a login challenge stays valid, ms.</summary>
        public const int AuthTimeoutMs = 10000;

        /// <summary>Back-off after the first failed login, ms; doubles per further failure.</summary>
        public const int BackoffBaseMs = 1000;

        /// <summary>Longest back-off, ms.</summary>
        public const int BackoffMaxMs = 60000;

        /// <summary>Version prefix of a wrapped raw push: "0.push." + 8 hex digits of its MD5.</summary>
        public const string RawVersionPrefix = "0.push.";

        private const int ModeUndecided = 0;
        private const int ModePackage = 1;
        private const int ModeRaw = 2;

        private readonly PushConfig _config;
        private readonly OtaPlatform _p;
        private readonly IFlashPartition _data;
        private readonly INonceSource _nonces;
        private readonly OtaStateStore _store;
        private readonly StagingWriter _writer;
        private readonly byte[] _prefix = new byte[4];
        private readonly byte[] _tail = new byte[8];
        private PushState _state;
        private PushInvitation _inv;
        private string _nonce;
        private long _authSince;
        private int _failedLogins;
        private long _lockedUntil;
        private long _received;
        private int _md5 = -1;
        private int _mode;
        private int _prefixLen;
        private uint _rawCrc;
        private string _version;

        /// <summary>
        /// A receiver over <paramref name="platform"/> (Staging, OtaData, App, Native, Clock;
        /// Rebooter optional). <paramref name="dataPartition"/> is the filesystem/config partition
        /// command 100 writes (null: command 100 is refused). <paramref name="scratch"/> (at least
        /// 256 bytes, caller-owned) is the staging writer's read-back buffer. Throws E608 CONFIG
        /// when a part is missing.
        /// </summary>
        public PushReceiver(PushConfig config, OtaPlatform platform, IFlashPartition dataPartition, INonceSource nonces, byte[] scratch)
        {
            if (config == null || platform == null || platform.Staging == null || platform.OtaData == null
                || platform.App == null || platform.Native == null || platform.Clock == null || nonces == null)
            {
                throw new OtaException(OtaError.Config, "PushReceiver needs a config, staging, otadata, app, native services, a clock and a nonce source");
            }

            _config = config;
            _p = platform;
            _data = dataPartition;
            _nonces = nonces;
            _store = new OtaStateStore(platform.OtaData);
            _writer = new StagingWriter(platform.Staging, platform.App, _store, platform.Native, scratch);
            _writer.DataTarget = dataPartition;
        }

        /// <summary>Push steps (state changes and refused datagrams).</summary>
        public event PushEventHandler StateChanged;

        /// <summary>Bytes received after every TCP read.</summary>
        public event PushProgressHandler Progress;

        /// <summary>The configuration in use.</summary>
        public PushConfig Config
        {
            get { return _config; }
        }

        /// <summary>Where the push is.</summary>
        public PushState State
        {
            get { return _state; }
        }

        /// <summary>The accepted invitation of the current push (null before the first).</summary>
        public PushInvitation Invitation
        {
            get { return _inv; }
        }

        /// <summary>TCP port on the host to connect to (valid in <see cref="PushState.Connecting"/>).</summary>
        public int ConnectPort
        {
            get { return _inv == null ? 0 : _inv.HostPort; }
        }

        /// <summary>The error that ended the last push or refused the last datagram (Ok if none).</summary>
        public OtaError LastError { get; private set; }

        /// <summary>The formatted message of <see cref="LastError"/> ("E1005 PUSH_MD5: ...").</summary>
        public string LastMessage { get; private set; }

        /// <summary>Bytes of the current file received so far.</summary>
        public long BytesReceived
        {
            get { return _received; }
        }

        /// <summary>True when every announced byte has arrived (call <see cref="Finish"/>).</summary>
        public bool ReceivedAll
        {
            get { return _state == PushState.Receiving && _inv != null && _received == _inv.Size; }
        }

        /// <summary>
        /// Signed mode from the application's side (set it when the OTA config lists signing
        /// keys): unsigned packages and raw files are refused with E801, as they are once the
        /// state record's signed flag is set.
        /// </summary>
        public bool RequireSigned { get; set; }

        /// <summary>Failed logins in a row (reset by a good one).</summary>
        public int FailedLogins
        {
            get { return _failedLogins; }
        }

        /// <summary>Version in the header of the package staged by the last successful push.</summary>
        public string StagedVersion
        {
            get { return _state == PushState.Done ? _version : null; }
        }

        /// <summary>
        /// Handles one datagram on the push port: an invitation or a login answer. Returns the reply
        /// to send back (never null): "OK", "AUTH nonce", "Authentication Failed" or
        /// "ERROR E... NAME: detail" for a refused datagram.
        /// </summary>
        public string HandleDatagram(byte[] data, int offset, int count)
        {
            long now = _p.Clock.NowMs;
            if (!_config.Enabled)
            {
                return Refuse(OtaError.OtaDisabled, "network push is disabled in the config");
            }

            if (_state == PushState.Receiving || _state == PushState.Connecting)
            {
                return Refuse(OtaError.PushBusy, "a push is in progress");
            }

            if (_state == PushState.WaitAuth && now - _authSince > AuthTimeoutMs)
            {
                _nonce = null;
                SetState(PushState.Idle, OtaError.Ok, "login challenge expired");
            }

            bool auth = count >= 4 && data[offset] == (byte)'2' && data[offset + 1] == (byte)'0'
                && data[offset + 2] == (byte)'0' && data[offset + 3] == (byte)' ';
            return auth ? HandleLogin(data, offset, count, now) : HandleInvitation(data, offset, count, now);
        }

        /// <summary>
        /// The data connection to the host is up: starts receiving the file
        /// (<see cref="PushState.Connecting"/> → <see cref="PushState.Receiving"/>).
        /// </summary>
        public void BeginTransfer()
        {
            if (_state != PushState.Connecting)
            {
                throw new OtaException(OtaError.StateTransition, "BeginTransfer in state " + _state);
            }

            _received = 0;
            _mode = ModeUndecided;
            _prefixLen = 0;
            _version = null;
            _md5 = _p.Native.Md5Begin();
            _writer.Begin(null, null, CheckPackageHeader);
            SetState(PushState.Receiving, OtaError.Ok, "receiving " + _inv.Size + " bytes");
        }

        /// <summary>
        /// Takes the bytes of one TCP read and returns the reply: the count in ASCII decimal, or
        /// "ERROR E... NAME: detail" when the push failed (then <see cref="State"/> is Failed and
        /// the connection should be closed after sending it).
        /// </summary>
        public string Receive(byte[] data, int offset, int count)
        {
            if (_state != PushState.Receiving)
            {
                return PushProtocol.ErrorReply(OtaError.PushProtocol, "data while " + _state);
            }

            if (_received + count > _inv.Size)
            {
                return Fail(OtaError.PushSize, "more bytes than the " + _inv.Size + " announced (" + (_received + count) + " so far)");
            }

            try
            {
                _p.Native.Md5Update(_md5, data, offset, count);
                Feed(data, offset, count);
            }
            catch (OtaException e)
            {
                return Fail(e.Code, e.Detail);
            }

            _received += count;
            PushProgressHandler h = Progress;
            if (h != null)
            {
                h(this, _received, _inv.Size);
            }

            return count.ToString();
        }

        /// <summary>
        /// After the last byte: checks the MD5 of the whole file against the invitation, completes
        /// a wrapped raw image, verifies the package in flash and writes STAGED. Returns "OK", or
        /// "ERROR E... NAME: detail" (nothing staged; the running image untouched).
        /// </summary>
        public string Finish()
        {
            if (_state != PushState.Receiving)
            {
                return PushProtocol.ErrorReply(OtaError.PushProtocol, "finish while " + _state);
            }

            if (_received != _inv.Size)
            {
                return Fail(OtaError.PushSize, "received " + _received + " of " + _inv.Size + " bytes");
            }

            byte[] digest = new byte[16];
            _p.Native.Md5Finish(_md5, digest, 0);
            _md5 = -1;
            string md5 = HexDigit.Encode(digest, 0, 16);
            if (md5 != _inv.Md5)
            {
                return Fail(OtaError.PushMd5, "received file has MD5 " + md5 + ", the invitation says " + _inv.Md5);
            }

            try
            {
                if (_mode == ModeUndecided)
                {
                    Decide();
                }

                if (_mode == ModeRaw)
                {
                    FinishRaw();
                }

                if (!_writer.IsComplete)
                {
                    return Fail(OtaError.PushSize, "file of " + _inv.Size + " bytes ends before the package (" + _writer.TotalLength + " bytes)");
                }

                _writer.Finish(null);
            }
            catch (OtaException e)
            {
                return Fail(e.Code, e.Detail);
            }

            _version = _writer.Header.Version;
            SetState(PushState.Done, OtaError.Ok, "version " + _version + " staged (" + _inv.Size + " bytes pushed)");
            return PushProtocol.ReplyOk;
        }

        /// <summary>
        /// The data connection could not be opened, timed out or dropped: the push fails with
        /// <paramref name="code"/> (usually E1006); partial staging progress is dropped.
        /// </summary>
        public void ConnectionLost(OtaError code, string detail)
        {
            if (_state == PushState.Connecting || _state == PushState.Receiving)
            {
                Fail(code, detail + " (" + _received + " of " + (_inv == null ? 0 : _inv.Size) + " bytes received)");
            }
        }

        /// <summary>Reboots through the platform when the last push was staged and auto_reboot is on.</summary>
        public bool RebootIfStaged()
        {
            if (_state != PushState.Done || !_config.AutoReboot || _p.Rebooter == null)
            {
                return false;
            }

            _p.Rebooter.Reboot();
            return true;
        }

        private string HandleInvitation(byte[] data, int offset, int count, long now)
        {
            if (now < _lockedUntil)
            {
                return Refuse(OtaError.PushBusy, _failedLogins + " failed login(s): invitations refused for " + (_lockedUntil - now) + " ms more");
            }

            PushInvitation inv;
            try
            {
                inv = PushInvitation.Parse(data, offset, count);
                CheckInvitation(inv);
            }
            catch (OtaException e)
            {
                _nonce = null;
                _state = PushState.Idle;
                return Refuse(e.Code, e.Detail);
            }

            _inv = inv;
            _received = 0;
            if (_config.AuthRequired)
            {
                byte[] r = new byte[NonceBytes];
                _nonces.Fill(r, 0, r.Length);
                _nonce = HexDigit.Encode(r, 0, r.Length);
                _authSince = now;
                SetState(PushState.WaitAuth, OtaError.Ok, Describe(inv) + ": login required");
                return PushProtocol.ReplyAuth + _nonce;
            }

            SetState(PushState.Connecting, OtaError.Ok, Describe(inv) + ": connecting to host port " + inv.HostPort);
            return PushProtocol.ReplyOk;
        }

        private string HandleLogin(byte[] data, int offset, int count, long now)
        {
            if (_state != PushState.WaitAuth || _nonce == null)
            {
                return Refuse(OtaError.PushProtocol, "login answer without a pending invitation (or after " + AuthTimeoutMs + " ms)");
            }

            string nonce = _nonce;
            _nonce = null;
            string[] f;
            try
            {
                f = PushInvitation.SplitFields(data, offset, count, 3, "login answer");
                if (f[1].Length > 64)
                {
                    throw new OtaException(OtaError.PushInvitation, "login cnonce longer than 64 characters");
                }
            }
            catch (OtaException e)
            {
                LoginFailed(now);
                _state = PushState.Idle;
                return Refuse(e.Code, e.Detail);
            }

            string expected = Md5Hex.LoginResponse(_p.Native, _config.PasswordMd5, nonce, f[1]);
            if (!Md5Hex.ConstantTimeEquals(expected, f[2]))
            {
                LoginFailed(now);
                _state = PushState.Idle;
                LastError = OtaError.PushAuth;
                LastMessage = OtaErrorNames.Format(OtaError.PushAuth, "wrong password (" + _failedLogins + " failed in a row; next invitation in " + (_lockedUntil - now) + " ms)");
                Fire(PushState.Idle, OtaError.PushAuth, LastMessage);
                return PushProtocol.ReplyAuthFailed;
            }

            _failedLogins = 0;
            _lockedUntil = 0;
            SetState(PushState.Connecting, OtaError.Ok, "login ok: connecting to host port " + _inv.HostPort);
            return PushProtocol.ReplyOk;
        }

        private void LoginFailed(long now)
        {
            _failedLogins++;
            long wait = BackoffBaseMs;
            for (int i = 1; i < _failedLogins && wait < BackoffMaxMs; i++)
            {
                wait *= 2;
            }

            _lockedUntil = now + (wait > BackoffMaxMs ? BackoffMaxMs : wait);
        }

        // What can be refused before the host connects: partitions, state, sizes.
        private void CheckInvitation(PushInvitation inv)
        {
            if (inv.Command == PushProtocol.CommandFilesystem && _data == null)
            {
                throw new OtaException(OtaError.PtMissing, "no filesystem/config partition on this device for command 100");
            }

            OtaStateRecord rec = _store.ReadCurrent();
            if (rec != null && rec.State == OtaState.Trial)
            {
                throw new OtaException(OtaError.StateTransition, "the running image is on trial: it must confirm itself before a push");
            }

            if (inv.Size > _p.Staging.Size)
            {
                throw new OtaException(OtaError.ImgTooLarge, "file of " + inv.Size + " bytes does not fit staging '" + _p.Staging.Name + "' (" + _p.Staging.Size + " bytes)");
            }
        }

        private void Feed(byte[] data, int offset, int count)
        {
            if (_mode == ModeUndecided)
            {
                while (count > 0 && _prefixLen < _prefix.Length)
                {
                    _prefix[_prefixLen++] = data[offset++];
                    count--;
                }

                if (_prefixLen < _prefix.Length)
                {
                    return;
                }

                Decide();
            }

            Emit(data, offset, count);
        }

        // The first 4 bytes tell a package (our magic) from raw firmware; the prefix is then
        // written like any other bytes.
        private void Decide()
        {
            bool package = _prefixLen == 4 && ImageHeader.ReadU32(_prefix, 0) == ImageHeader.Magic;
            if (package)
            {
                _mode = ModePackage;
            }
            else
            {
                _mode = ModeRaw;
                StartRaw();
            }

            Emit(_prefix, 0, _prefixLen);
        }

        private void Emit(byte[] data, int offset, int count)
        {
            if (count == 0)
            {
                return;
            }

            if (_mode == ModeRaw)
            {
                _rawCrc = Crc32.Update(_rawCrc, data, offset, count);
            }

            _writer.Write(data, offset, count);
        }

        // Raw file: header built here. Body = the file, 0xFF padding to a multiple of 4, then 4
        // bytes that make the body CRC equal org_checksum (taken from the file's MD5).
        private void StartRaw()
        {
            OtaStateRecord rec = _store.ReadCurrent();
            if (VersionPolicy.SignedMode(RequireSigned, rec))
            {
                throw new OtaException(OtaError.SigMissing, "raw (unsigned) push refused: this device is in signed mode; push a signed .img");
            }

            bool fs = _inv.Command == PushProtocol.CommandFilesystem;
            long padded = (_inv.Size + 3) / 4 * 4;
            byte[] md5 = Md5Hex.Parse(_inv.Md5);
            ImageHeader h = new ImageHeader();
            h.ImgType = fs ? ImageType.Data : ImageType.App;
            h.ImgAddr = fs ? _data.Offset : _p.App.Offset;
            h.ImgLen = (uint)(padded + 4);
            h.ImgHeaderAddr = _p.OtaData.Offset;
            h.UpgradeImgAddr = _p.Staging.Offset;
            h.OrgChecksum = ImageHeader.ReadU32(md5, 0);
            h.UpdNo = rec == null ? 0 : rec.MaxUpdNo;
            h.Version = RawVersionPrefix + _inv.Md5.Substring(0, 8);
            h.SkipUpgradeCheck = true;
            byte[] hb = new byte[ImageHeader.Size];
            h.WriteTo(hb, 0);
            _writer.Write(hb, 0, hb.Length);
            _rawCrc = Crc32.Initial;
        }

        private void FinishRaw()
        {
            int pad = (int)((4 - (_inv.Size % 4)) % 4);
            for (int i = 0; i < pad; i++)
            {
                _tail[i] = 0xFF;
            }

            uint crc = Crc32.Update(_rawCrc, _tail, 0, pad);
            CrcFixup.Compute(crc, _writer.Header.OrgChecksum, _tail, pad);
            _writer.Write(_tail, 0, pad + 4);
        }

        // Header policy of pushed packages: the StagingWriter already checked format, addresses
        // and sizes. Version: a push may reinstall the same version; an older one needs
        // skip_upgrade_check (E118). Signed mode: unsigned packages are E801 (the signature itself
        // is the bootloader's to verify). Anti-rollback as the bootloader applies it: upd_no below
        // max_upd_no is E503 unless unsigned and skip_upgrade_check.
        private void CheckPackageHeader(ImageHeader h)
        {
            if (_mode == ModeRaw)
            {
                return;
            }

            if (h.TotalLength != _inv.Size)
            {
                throw new OtaException(OtaError.PushSize, "package header says " + h.TotalLength + " bytes, the invitation " + _inv.Size);
            }

            bool fs = _inv.Command == PushProtocol.CommandFilesystem;
            if (fs != (h.ImgType == ImageType.Data))
            {
                throw new OtaException(OtaError.ImgType, "invitation command " + _inv.Command + " but the package has img_type " + (int)h.ImgType);
            }

            OtaStateRecord r = _store.ReadCurrent();
            string running = r == null ? null : r.InstalledVersion;
            if (!fs && !VersionPolicy.Accepts(running, h.Version, true, h.SkipUpgradeCheck))
            {
                throw new OtaException(OtaError.ImgOldVersion, "version " + h.Version + " is older than running " + running + " and the package lacks skip_upgrade_check");
            }

            bool signedMode = VersionPolicy.SignedMode(RequireSigned, r);
            if (signedMode && !h.Signed)
            {
                throw new OtaException(OtaError.SigMissing, "unsigned package refused: this device is in signed mode");
            }

            VersionPolicy.CheckRollback(h, r, signedMode);
        }

        private string Fail(OtaError code, string detail)
        {
            if (_md5 >= 0)
            {
                byte[] d = new byte[16];
                _p.Native.Md5Finish(_md5, d, 0);
                _md5 = -1;
            }

            try
            {
                if (_state == PushState.Receiving && _writer.Header != null)
                {
                    _writer.DropProgress(code);
                }
            }
            catch (OtaException)
            {
                // The push failed already; a flash error here leaves the record as it was, and a
                // DOWNLOADING record is never installed.
            }

            LastError = code;
            LastMessage = OtaErrorNames.Format(code, detail);
            SetState(PushState.Failed, code, LastMessage);
            return PushProtocol.ReplyError + LastMessage;
        }

        private string Refuse(OtaError code, string detail)
        {
            LastError = code;
            LastMessage = OtaErrorNames.Format(code, detail);
            Fire(_state, code, LastMessage);
            return PushProtocol.ReplyError + LastMessage;
        }

        private void SetState(PushState s, OtaError error, string detail)
        {
            _state = s;
            if (s != PushState.Failed)
            {
                LastError = OtaError.Ok;
                LastMessage = "";
            }

            Fire(s, error, detail);
        }

        private void Fire(PushState s, OtaError error, string detail)
        {
            PushEventHandler h = StateChanged;
            if (h != null)
            {
                h(this, s, error, detail);
            }
        }

        private static string Describe(PushInvitation inv)
        {
            return (inv.Command == PushProtocol.CommandFirmware ? "firmware" : "filesystem") + " push of " + inv.Size + " bytes, MD5 " + inv.Md5;
        }
    }
}
