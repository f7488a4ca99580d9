using System.Runtime.CompilerServices;

namespace DeviceApp.Bindings.NanoFramework
{
    /// <summary>
    /// The native methods DeviceApp calls into the firmware: C functions in
    /// bootloader-native/interop (native assembly "DeviceApp", method table in DeviceApp.cpp) that
    /// run the same core code as the bootloader (flash HAL, mbedTLS SHA-256). Every method returns 0
    /// or an OtaError code (docs/design.md section 7); the managed wrappers turn codes into
    /// OtaException. The method order here is the order of the native method table: append only.
    /// </summary>
    internal static class OtaNative
    {
        /// <summary>Reads <paramref name="count"/> bytes at absolute flash address <paramref name="address"/>.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        internal static extern int FlashRead(uint address, byte[] buffer, int offset, int count);

        /// <summary>Programs bytes (NOR: 1 to 0 only); the native side splits at 256-byte pages.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        internal static extern int FlashWrite(uint address, byte[] buffer, int offset, int count);

        /// <summary>Erases a 4 KiB-aligned range (64 KiB block erases where aligned).</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        internal static extern int FlashErase(uint address, uint length);

        /// <summary>Finds a partition in the ESP-IDF table at 0x8000: returns 0 and fills offset/size, or E704.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        internal static extern int FindPartition(string name, out uint offset, out uint size);

        /// <summary>Starts a SHA-256; returns a handle (0..N-1 of a small native pool) or -E.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        internal static extern int Sha256Begin();

        /// <summary>Feeds bytes to a running SHA-256.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        internal static extern int Sha256Update(int handle, byte[] data, int offset, int count);

        /// <summary>Writes the 32-byte digest at <paramref name="offset"/> and frees the handle.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        internal static extern int Sha256Finish(int handle, byte[] digest, int offset);

        /// <summary>ECDSA P-256 verify of a 32-byte hash: 1 = valid, 0 = invalid or malformed.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        internal static extern int EcdsaP256Verify(byte[] publicKey, int publicKeyOffset, byte[] hash, int hashOffset,
            byte[] signature, int signatureOffset, int signatureLength);

        /// <summary>Starts an MD5 (network push); returns a handle (0..N-1 of a small native pool) or -E.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        internal static extern int Md5Begin();

        /// <summary>Feeds bytes to a running MD5.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        internal static extern int Md5Update(int handle, byte[] data, int offset, int count);

        /// <summary>Writes the 16-byte digest at <paramref name="offset"/> and frees the handle.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        internal static extern int Md5Finish(int handle, byte[] digest, int offset);
    }
}
