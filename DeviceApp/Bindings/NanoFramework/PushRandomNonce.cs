using System;
using OtaCore.Push;

namespace DeviceApp.Bindings.NanoFramework
{
    /// <summary>
    /// Login nonces on the device from nanoFramework's System.Random, seeded once from the tick
    /// count at start. Not a CSPRNG: a nonce only has to differ per invitation for the digest
    /// login to resist replay; an ESP32 hardware-RNG native (esp_fill_random) would be stronger
    /// and is listed as future work in docs/design.md.
    /// </summary>
    public class PushRandomNonce : INonceSource
    {
        private readonly Random _random = new Random((int)DateTime.UtcNow.Ticks);

        /// <inheritdoc />
        public void Fill(byte[] buffer, int offset, int count)
        {
            byte[] b = new byte[count];
            _random.NextBytes(b);
            Array.Copy(b, 0, buffer, offset, count);
        }
    }
}
