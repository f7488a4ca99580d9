using System;
#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif

namespace DeviceApp.Tests
{
    /// <summary>Exception assertion that returns the exception (MSTest 4 dropped ThrowsException).</summary>
    internal static class Expect
    {
        public static T Throws<T>(Action action, string because = "") where T : Exception
        {
            try
            {
                action();
            }
            catch (T e)
            {
                return e;
            }
            catch (Exception e)
            {
                Assert.Fail("expected " + typeof(T).Name + " but got " + e.GetType().Name + ": " + e.Message + " " + because);
            }
            Assert.Fail("expected " + typeof(T).Name + ", nothing was thrown " + because);
            return null;
        }
    }
}
