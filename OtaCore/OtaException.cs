using System;

namespace OtaCore
{
    /// <summary>
    /// A failure with one of the shared <see cref="OtaError"/> codes. The message is the one-line
    /// form "E102 IMG_MAGIC: detail" used by every tool and log.
    /// </summary>
    public class OtaException : Exception
    {
        /// <summary>Creates an exception for <paramref name="code"/> with a human-readable detail.</summary>
        public OtaException(OtaError code, string detail)
            : base(OtaErrorNames.Format(code, detail))
        {
            Code = code;
            Detail = detail;
        }

        /// <summary>The error code (docs/design.md section 7).</summary>
        public OtaError Code { get; private set; }

        /// <summary>The detail text, without the code prefix.</summary>
        public string Detail { get; private set; }
    }
}
