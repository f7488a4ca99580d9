namespace DeviceApp.Bindings.Host
{
    /// <summary>
    /// Flash counters (otahost_flash_stats): operations and the timing model's modelled time,
    /// since the flash was opened, or the difference of two snapshots.
    /// </summary>
    public sealed class FlashStats
    {
        /// <summary>Program + erase operations.</summary>
        public ulong Operations { get; set; }

        /// <summary>Program operations (each within one 256-byte page).</summary>
        public ulong Programs { get; set; }

        /// <summary>4 KiB sector erases.</summary>
        public ulong SectorErases { get; set; }

        /// <summary>64 KiB block erases.</summary>
        public ulong BlockErases { get; set; }

        /// <summary>Bytes programmed.</summary>
        public ulong BytesProgrammed { get; set; }

        /// <summary>Read calls.</summary>
        public ulong Reads { get; set; }

        /// <summary>Bytes read.</summary>
        public ulong BytesRead { get; set; }

        /// <summary>Modelled time of all operations, microseconds (= erase + program + read).</summary>
        public ulong ModelledUs { get; set; }

        /// <summary>Modelled time of the erases, microseconds.</summary>
        public ulong EraseUs { get; set; }

        /// <summary>Modelled time of the programs, microseconds.</summary>
        public ulong ProgramUs { get; set; }

        /// <summary>Modelled time of the reads, microseconds.</summary>
        public ulong ReadUs { get; set; }

        /// <summary>This minus <paramref name="earlier"/> (counters over an interval).</summary>
        public FlashStats Minus(FlashStats earlier) => Combine(earlier, -1);

        /// <summary>This plus <paramref name="other"/> (counters over two intervals).</summary>
        public FlashStats Plus(FlashStats other) => Combine(other, 1);

        private FlashStats Combine(FlashStats o, int sign)
        {
            ulong F(ulong a, ulong b) => sign > 0 ? a + b : a - b;
            return new FlashStats
            {
                Operations = F(Operations, o.Operations),
                Programs = F(Programs, o.Programs),
                SectorErases = F(SectorErases, o.SectorErases),
                BlockErases = F(BlockErases, o.BlockErases),
                BytesProgrammed = F(BytesProgrammed, o.BytesProgrammed),
                Reads = F(Reads, o.Reads),
                BytesRead = F(BytesRead, o.BytesRead),
                ModelledUs = F(ModelledUs, o.ModelledUs),
                EraseUs = F(EraseUs, o.EraseUs),
                ProgramUs = F(ProgramUs, o.ProgramUs),
                ReadUs = F(ReadUs, o.ReadUs),
            };
        }
    }
}
