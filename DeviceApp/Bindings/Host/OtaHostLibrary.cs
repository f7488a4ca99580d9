using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace DeviceApp.Bindings.Host
{
    /// <summary>
    /// P/Invoke surface of libotahost.so (bootloader-native/programs/otahost.h): the host mirror of
    /// the device's InternalCall natives. The library is found in $OTA_HOST_LIB_DIR, else in the
    /// first "bin" folder holding libotahost.so above this assembly (build/bin in this tree).
    /// </summary>
    public static class OtaHostLibrary
    {
        /// <summary>The DllImport name.</summary>
        public const string Name = "otahost";

        static OtaHostLibrary()
        {
            NativeLibrary.SetDllImportResolver(typeof(OtaHostLibrary).Assembly, Resolve);
        }

        /// <summary>Makes sure the resolver is installed (call before the first native call).</summary>
        public static void EnsureLoaded()
        {
            // The static constructor does the work.
        }

        /// <summary>Full path of the library that will be loaded, or null when none is found.</summary>
        public static string Locate()
        {
            string file = "lib" + Name + ".so";
            string env = Environment.GetEnvironmentVariable("OTA_HOST_LIB_DIR");
            if (!string.IsNullOrEmpty(env) && File.Exists(Path.Combine(env, file))) return Path.Combine(env, file);
            string dir = Path.GetDirectoryName(typeof(OtaHostLibrary).Assembly.Location);
            while (!string.IsNullOrEmpty(dir))
            {
                string candidate = Path.Combine(dir, "bin", file);
                if (File.Exists(candidate)) return candidate;
                dir = Path.GetDirectoryName(dir);
            }
            return null;
        }

        private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
        {
            if (name != Name) return IntPtr.Zero;
            string lib = Locate();
            if (lib == null)
                throw new DllNotFoundException("libotahost.so not found (build it with `make native`, or set OTA_HOST_LIB_DIR)");
            return NativeLibrary.Load(lib);
        }

        [DllImport(Name, EntryPoint = "otahost_flash_open")]
        internal static extern IntPtr FlashOpen([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint size);

        [DllImport(Name, EntryPoint = "otahost_flash_close")]
        internal static extern void FlashClose(IntPtr f);

        [DllImport(Name, EntryPoint = "otahost_flash_size")]
        internal static extern uint FlashSize(IntPtr f);

        [DllImport(Name, EntryPoint = "otahost_flash_read")]
        internal static extern unsafe int FlashRead(IntPtr f, uint addr, byte* buf, uint len);

        [DllImport(Name, EntryPoint = "otahost_flash_program")]
        internal static extern unsafe int FlashProgram(IntPtr f, uint addr, byte* buf, uint len);

        [DllImport(Name, EntryPoint = "otahost_flash_erase")]
        internal static extern int FlashErase(IntPtr f, uint addr, uint len);

        [DllImport(Name, EntryPoint = "otahost_flash_set_power_cut")]
        internal static extern int FlashSetPowerCut(IntPtr f, ulong opIndex, int mode, uint seed);

        [DllImport(Name, EntryPoint = "otahost_flash_op_count")]
        internal static extern ulong FlashOpCount(IntPtr f);

        [DllImport(Name, EntryPoint = "otahost_flash_erase_count")]
        internal static extern uint FlashEraseCount(IntPtr f, uint addr);

        // otahost_flash_stats_t (otahost.h), field for field.
        [StructLayout(LayoutKind.Sequential)]
        internal struct Stats
        {
            public ulong Ops, Programs, SectorErases, BlockErases, BytesProgrammed, BytesRead, ModelledUs, EraseUs, ProgramUs, ReadUs, Reads;
        }

        // otahost_flash_timing_t (otahost.h).
        [StructLayout(LayoutKind.Sequential)]
        internal struct TimingModel
        {
            public uint SectorEraseUs, BlockEraseUs, PageProgramUs, ReadBytesPerMs;
        }

        [DllImport(Name, EntryPoint = "otahost_flash_stats")]
        internal static extern unsafe int FlashStats(IntPtr f, Stats* out1);

        [DllImport(Name, EntryPoint = "otahost_flash_set_timing")]
        internal static extern int FlashSetTiming(IntPtr f, uint sectorEraseUs, uint blockEraseUs, uint pageProgramUs, uint readBytesPerMs);

        [DllImport(Name, EntryPoint = "otahost_flash_timing_parse")]
        internal static extern unsafe int FlashTimingParse([MarshalAs(UnmanagedType.LPUTF8Str)] string spec, TimingModel* out1);

        [DllImport(Name, EntryPoint = "otahost_boot")]
        internal static extern unsafe int Boot(IntPtr f, byte* json, uint jsonCap);

        [DllImport(Name, EntryPoint = "otahost_sha256")]
        internal static extern unsafe int Sha256(byte* data, uint len, byte* out32);

        // Streaming SHA-256 of the core (bootloader-native/core/include/ota_sha256.h), exported by
        // libotahost.so with the rest of the core. The context is OTA_SHA256_CTX_BYTES of opaque storage.
        internal const int Sha256ContextBytes = 256;

        [DllImport(Name, EntryPoint = "ota_sha256_init")]
        internal static extern int Sha256Init(IntPtr ctx);

        [DllImport(Name, EntryPoint = "ota_sha256_update")]
        internal static extern unsafe int Sha256Update(IntPtr ctx, byte* data, UIntPtr len);

        [DllImport(Name, EntryPoint = "ota_sha256_finish")]
        internal static extern unsafe int Sha256Finish(IntPtr ctx, byte* out32);

        // ECDSA P-256 over a 32-byte digest, DER signature (bootloader-native/programs/sig_host.h):
        // 0 = valid, else OTA_E_SIG_BAD / SIG_FORMAT / SIG_KEY_FORMAT.
        [DllImport(Name, EntryPoint = "otahost_ecdsa_p256_verify")]
        internal static extern unsafe int EcdsaP256Verify(byte* point65, byte* digest32, byte* der, uint derLen);

        // The keys otahost_boot trusts (the simulated bootloader's built-in keys), sig_host.h.
        [DllImport(Name, EntryPoint = "otahost_add_pubkey")]
        internal static extern unsafe int AddPubkey(byte* pem, uint len);

        [DllImport(Name, EntryPoint = "otahost_clear_pubkeys")]
        internal static extern void ClearPubkeys();

        [DllImport(Name, EntryPoint = "otahost_pubkey_count")]
        internal static extern uint PubkeyCount();
    }
}
