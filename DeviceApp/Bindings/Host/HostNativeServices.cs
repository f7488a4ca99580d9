using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using OtaCore;
using OtaCore.Platform;

namespace DeviceApp.Bindings.Host
{
    /// <summary>
    /// <see cref="INativeServices"/> over libotahost: SHA-256 runs in the C core (mbedTLS), the same
    /// code the device reaches through InternalCall. Each handle owns an unmanaged context block so
    /// the C side never sees memory that the GC could move.
    /// </summary>
    public sealed class HostNativeServices : INativeServices, IDisposable
    {
        private readonly Dictionary<int, IntPtr> _contexts = new Dictionary<int, IntPtr>();
        private int _next;
        private readonly Dictionary<int, System.Security.Cryptography.IncrementalHash> _md5 = new Dictionary<int, System.Security.Cryptography.IncrementalHash>();
        private int _nextMd5;

        /// <inheritdoc />
        public int Sha256Begin()
        {
            OtaHostLibrary.EnsureLoaded();
            IntPtr ctx = Marshal.AllocHGlobal(OtaHostLibrary.Sha256ContextBytes);
            if (OtaHostLibrary.Sha256Init(ctx) != 0)
            {
                Marshal.FreeHGlobal(ctx);
                throw new OtaException(OtaError.Io, "sha256 init failed");
            }
            lock (_contexts)
            {
                int h = _next++;
                _contexts[h] = ctx;
                return h;
            }
        }

        /// <inheritdoc />
        public unsafe void Sha256Update(int handle, byte[] data, int offset, int count)
        {
            if (offset < 0 || count < 0 || offset + count > data.Length) throw new ArgumentOutOfRangeException(nameof(count));
            IntPtr ctx = Context(handle, false);
            fixed (byte* p = data)
            {
                if (OtaHostLibrary.Sha256Update(ctx, p + offset, (UIntPtr)(uint)count) != 0)
                    throw new OtaException(OtaError.Io, "sha256 update failed");
            }
        }

        /// <inheritdoc />
        public unsafe void Sha256Finish(int handle, byte[] digest, int offset)
        {
            if (offset < 0 || offset + 32 > digest.Length) throw new ArgumentOutOfRangeException(nameof(offset));
            IntPtr ctx = Context(handle, true);
            try
            {
                fixed (byte* p = digest)
                {
                    if (OtaHostLibrary.Sha256Finish(ctx, p + offset) != 0)
                        throw new OtaException(OtaError.Io, "sha256 finish failed");
                }
            }
            finally
            {
                Marshal.FreeHGlobal(ctx);
            }
        }

        /// <summary>
        /// ECDSA P-256 through libotahost (the C verifier and mbedTLS the bootloader uses): false for
        /// a bad signature, a malformed DER signature or a key that is not on the curve.
        /// </summary>
        public unsafe bool VerifyEcdsaP256(byte[] publicKey, int publicKeyOffset, byte[] hash, int hashOffset,
            byte[] signature, int signatureOffset, int signatureLength)
        {
            if (publicKeyOffset < 0 || publicKeyOffset + 65 > publicKey.Length) throw new ArgumentOutOfRangeException(nameof(publicKeyOffset));
            if (hashOffset < 0 || hashOffset + 32 > hash.Length) throw new ArgumentOutOfRangeException(nameof(hashOffset));
            if (signatureOffset < 0 || signatureLength < 0 || signatureOffset + signatureLength > signature.Length)
                throw new ArgumentOutOfRangeException(nameof(signatureLength));
            if (signatureLength == 0) return false;
            OtaHostLibrary.EnsureLoaded();
            fixed (byte* k = publicKey)
            fixed (byte* h = hash)
            fixed (byte* s = signature)
            {
                return OtaHostLibrary.EcdsaP256Verify(k + publicKeyOffset, h + hashOffset, s + signatureOffset, (uint)signatureLength) == 0;
            }
        }

        /// <summary>Starts an MD5 (.NET's MD5 on the host; the device uses mbedTLS through InternalCall).</summary>
        public int Md5Begin()
        {
            lock (_md5)
            {
                int h = _nextMd5++;
                _md5[h] = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.MD5);
                return h;
            }
        }

        /// <inheritdoc />
        public void Md5Update(int handle, byte[] data, int offset, int count)
        {
            if (offset < 0 || count < 0 || offset + count > data.Length) throw new ArgumentOutOfRangeException(nameof(count));
            Md5(handle, false).AppendData(data, offset, count);
        }

        /// <inheritdoc />
        public void Md5Finish(int handle, byte[] digest, int offset)
        {
            if (offset < 0 || offset + 16 > digest.Length) throw new ArgumentOutOfRangeException(nameof(offset));
            using var h = Md5(handle, true);
            h.GetHashAndReset().CopyTo(digest, offset);
        }

        private System.Security.Cryptography.IncrementalHash Md5(int handle, bool release)
        {
            lock (_md5)
            {
                if (!_md5.TryGetValue(handle, out var h))
                    throw new OtaException(OtaError.Usage, "unknown md5 handle " + handle);
                if (release) _md5.Remove(handle);
                return h;
            }
        }

        /// <summary>Frees the contexts of hashes that were never finished.</summary>
        public void Dispose()
        {
            lock (_contexts)
            {
                foreach (var ctx in _contexts.Values) Marshal.FreeHGlobal(ctx);
                _contexts.Clear();
            }
        }

        private IntPtr Context(int handle, bool release)
        {
            lock (_contexts)
            {
                if (!_contexts.TryGetValue(handle, out IntPtr ctx))
                    throw new OtaException(OtaError.Usage, "unknown sha256 handle " + handle);
                if (release) _contexts.Remove(handle);
                return ctx;
            }
        }
    }
}
