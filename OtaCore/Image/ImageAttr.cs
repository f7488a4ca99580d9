namespace OtaCore.Image
{
    /// <summary>Bit masks and shifts of the <c>img_attr</c> word (header offset 0x04).</summary>
    public static class ImageAttr
    {
        /// <summary>Bits 3:0, <c>img_type</c>.</summary>
        public const uint TypeMask = 0x0000000F;
        /// <summary>Bit 4, <c>code_encrypt</c> (must be 0).</summary>
        public const uint CodeEncrypt = 0x00000010;
        /// <summary>Bits 7:5, <c>prikey_sel</c> (key slot when signed, else 0).</summary>
        public const uint PrikeySelMask = 0x000000E0;
        /// <summary>Shift of <c>prikey_sel</c>.</summary>
        public const int PrikeySelShift = 5;
        /// <summary>Bit 8, <c>signature</c>: a 256-byte signature block follows the body.</summary>
        public const uint Signature = 0x00000100;
        /// <summary>Bit 16, <c>gzip</c> (must be 0).</summary>
        public const uint Gzip = 0x00010000;
        /// <summary>Bit 17, <c>psram_io</c> (must be 0).</summary>
        public const uint PsramIo = 0x00020000;
        /// <summary>Bit 18, <c>erase_block_en</c>: installer may use 64 KiB block erases.</summary>
        public const uint EraseBlockEnable = 0x00040000;
        /// <summary>Bit 19, <c>erase_always</c>: installer must not skip already-correct sectors.</summary>
        public const uint EraseAlways = 0x00080000;
        /// <summary>Bits 21:20, <c>compress_type</c> (0 none, 1 xz).</summary>
        public const uint CompressMask = 0x00300000;
        /// <summary>Shift of <c>compress_type</c>.</summary>
        public const int CompressShift = 20;
        /// <summary>Every bit that has a meaning; the others must be 0.</summary>
        public const uint KnownBits = TypeMask | CodeEncrypt | PrikeySelMask | Signature | Gzip | PsramIo
            | EraseBlockEnable | EraseAlways | CompressMask;
        /// <summary><c>compress_type</c> value: no compression (full image).</summary>
        public const int CompressNone = 0;
        /// <summary><c>compress_type</c> value: XZ (LZMA2) stream of the full image.</summary>
        public const int CompressXz = 1;
    }
}
