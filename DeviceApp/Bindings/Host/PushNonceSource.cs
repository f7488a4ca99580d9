using System;
using System.Security.Cryptography;
using OtaCore.Push;

namespace DeviceApp.Bindings.Host
{
    /// <summary>Login nonces of the simulated device from the OS CSPRNG.</summary>
    public sealed class PushNonceSource : INonceSource
    {
        /// <inheritdoc />
        public void Fill(byte[] buffer, int offset, int count) => RandomNumberGenerator.Fill(buffer.AsSpan(offset, count));
    }
}
