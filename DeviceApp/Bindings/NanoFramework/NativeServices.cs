using OtaCore;
using OtaCore.Platform;

namespace DeviceApp.Bindings.NanoFramework
{
    /// <summary><see cref="INativeServices"/> through <see cref="OtaNative"/> (mbedTLS in the firmware).</summary>
    public class NativeServices : INativeServices
    {
        /// <inheritdoc />
        public int Sha256Begin()
        {
            int h = OtaNative.Sha256Begin();
            if (h < 0)
            {
                throw new OtaException((OtaError)(-h), "sha256: no free native context");
            }

            return h;
        }

        /// <inheritdoc />
        public void Sha256Update(int handle, byte[] data, int offset, int count)
        {
            int rc = OtaNative.Sha256Update(handle, data, offset, count);
            if (rc != 0)
            {
                throw new OtaException((OtaError)rc, "sha256 update");
            }
        }

        /// <inheritdoc />
        public void Sha256Finish(int handle, byte[] digest, int offset)
        {
            int rc = OtaNative.Sha256Finish(handle, digest, offset);
            if (rc != 0)
            {
                throw new OtaException((OtaError)rc, "sha256 finish");
            }
        }

        /// <inheritdoc />
        public int Md5Begin()
        {
            int h = OtaNative.Md5Begin();
            if (h < 0)
            {
                throw new OtaException((OtaError)(-h), "md5: no free native context");
            }

            return h;
        }

        /// <inheritdoc />
        public void Md5Update(int handle, byte[] data, int offset, int count)
        {
            int rc = OtaNative.Md5Update(handle, data, offset, count);
            if (rc != 0)
            {
                throw new OtaException((OtaError)rc, "md5 update");
            }
        }

        /// <inheritdoc />
        public void Md5Finish(int handle, byte[] digest, int offset)
        {
            int rc = OtaNative.Md5Finish(handle, digest, offset);
            if (rc != 0)
            {
                throw new OtaException((OtaError)rc, "md5 finish");
            }
        }

        /// <inheritdoc />
        public bool VerifyEcdsaP256(byte[] publicKey, int publicKeyOffset, byte[] hash, int hashOffset,
            byte[] signature, int signatureOffset, int signatureLength)
        {
            return OtaNative.EcdsaP256Verify(publicKey, publicKeyOffset, hash, hashOffset,
                signature, signatureOffset, signatureLength) == 1;
        }
    }
}
