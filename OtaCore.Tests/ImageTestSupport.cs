using OtaCore;

namespace OtaCore.Tests
{
    /// <summary>A piece of code under test (no generic Action on nanoFramework).</summary>
    public delegate void TestAction();

    /// <summary>Runs code that should fail with an <see cref="OtaException"/>; portable to both test frameworks.</summary>
    public static class OtaAssert
    {
        /// <summary>The exception <paramref name="a"/> throws, or null when it returns normally.</summary>
        public static OtaException Catch(TestAction a)
        {
            try
            {
                a();
                return null;
            }
            catch (OtaException e)
            {
                return e;
            }
        }

        /// <summary>The error code <paramref name="a"/> fails with, or <see cref="OtaError.Ok"/>.</summary>
        public static OtaError ErrorOf(TestAction a)
        {
            OtaException e = Catch(a);
            return e == null ? OtaError.Ok : e.Code;
        }
    }
}
