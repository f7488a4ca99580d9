using System.Collections;

namespace OtaCore.Security
{
    /// <summary>
    /// The set of trusted signing keys (any one verifies). Empty = unsigned mode: no signature is
    /// required. Rotation: ship the current key and the next one, sign with the next one later,
    /// then drop the old one (docs/design.md section 3).
    /// </summary>
    public class TrustedKeyRing
    {
        private readonly ArrayList _keys = new ArrayList();

        /// <summary>Number of keys.</summary>
        public int Count
        {
            get { return _keys.Count; }
        }

        /// <summary>True when at least one key is trusted: every package must then be signed.</summary>
        public bool SignedMode
        {
            get { return _keys.Count > 0; }
        }

        /// <summary>Adds a key (a key with the same id is not added twice).</summary>
        public void Add(TrustedKey key)
        {
            if (key == null) return;
            if (Find(key.KeyId, 0) == null) _keys.Add(key);
        }

        /// <summary>The key at <paramref name="index"/>.</summary>
        public TrustedKey Get(int index)
        {
            return (TrustedKey)_keys[index];
        }

        /// <summary>The key whose id is the 8 bytes at <paramref name="offset"/>, or null.</summary>
        public TrustedKey Find(byte[] id, int offset)
        {
            for (int i = 0; i < _keys.Count; i++)
            {
                TrustedKey k = (TrustedKey)_keys[i];
                if (k.HasId(id, offset)) return k;
            }

            return null;
        }
    }
}
