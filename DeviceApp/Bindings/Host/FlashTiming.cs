using System.Globalization;
using OtaCore;

namespace DeviceApp.Bindings.Host
{
    /// <summary>
    /// The simulated flash's timing model (bootloader-native/port/host/ota_flash_timing.h): the
    /// modelled time of each operation. The simulator does not wait; it adds up what the
    /// operations would take on the modelled chip.
    /// </summary>
    public sealed class FlashTiming
    {
        /// <summary>The SPEC text this model was parsed from ("esp32", "off" or a list).</summary>
        public string Spec { get; private set; } = "esp32";

        /// <summary>One 4 KiB sector erase, microseconds.</summary>
        public uint SectorEraseUs { get; private set; }

        /// <summary>One 64 KiB block erase, microseconds.</summary>
        public uint BlockEraseUs { get; private set; }

        /// <summary>One program operation (up to a 256-byte page), microseconds.</summary>
        public uint PageProgramUs { get; private set; }

        /// <summary>Read rate in bytes per millisecond (0: reads take no time).</summary>
        public uint ReadBytesPerMs { get; private set; }

        /// <summary>True for the "off" model: every operation takes no time.</summary>
        public bool IsOff => SectorEraseUs == 0 && BlockEraseUs == 0 && PageProgramUs == 0 && ReadBytesPerMs == 0;

        /// <summary>The default ESP32 model: 4 KiB erase 45 ms, 64 KiB erase 150 ms, program 0.6 ms, read 10 MB/s.</summary>
        public static FlashTiming Esp32 => Parse("esp32");

        /// <summary>
        /// Parses SPEC: "esp32", "off", or items such as
        /// "erase4k=45ms,erase64k=150ms,program=0.6ms,read=10MB/s" (any subset; the rest ESP32).
        /// The grammar and the parser are the C host port's; a bad SPEC throws the usage error.
        /// </summary>
        public static unsafe FlashTiming Parse(string spec)
        {
            OtaHostLibrary.EnsureLoaded();
            var t = new OtaHostLibrary.TimingModel();
            int rc = spec == null ? (int)OtaError.Usage : OtaHostLibrary.FlashTimingParse(spec, &t);
            if (rc != 0)
                throw new OtaException(OtaError.Usage, "--flash-timing '" + spec + "': expected esp32, off or a list like erase4k=45ms,erase64k=150ms,program=0.6ms,read=10MB/s");
            return new FlashTiming
            {
                Spec = spec,
                SectorEraseUs = t.SectorEraseUs,
                BlockEraseUs = t.BlockEraseUs,
                PageProgramUs = t.PageProgramUs,
                ReadBytesPerMs = t.ReadBytesPerMs,
            };
        }

        /// <summary>A name for reports: "ESP32 model", "model off", or "model SPEC".</summary>
        public string Name => Spec == "esp32" ? "ESP32 model" : IsOff ? "model off" : "model " + Spec;

        /// <summary>The values in SPEC form (erase4k=45ms,erase64k=150ms,program=0.6ms,read=10MB/s).</summary>
        public override string ToString()
        {
            var c = CultureInfo.InvariantCulture;
            return string.Format(c, "erase4k={0}ms,erase64k={1}ms,program={2}ms,read={3}MB/s",
                SectorEraseUs / 1000.0, BlockEraseUs / 1000.0, PageProgramUs / 1000.0, ReadBytesPerMs / 1000.0);
        }
    }
}
