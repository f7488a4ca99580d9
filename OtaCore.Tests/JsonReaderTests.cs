#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
using System.Collections;
using OtaCore;
using OtaCore.Json;

namespace OtaCore.Tests
{
    [TestClass]
    public class JsonReaderTests
    {
        private static object P(string s)
        {
            return JsonReader.Parse(s, OtaError.Config, "t");
        }

        [TestMethod]
        public void ParsesNestedObjectWithEveryValueKind()
        {
            Hashtable h = (Hashtable)P(" {\"a\": 1, \"b\": [true, false, null], \"c\": {\"d\": \"x\\\"y\\n\\u0041\"}, \"e\": -12.5e1 } ");
            Assert.AreEqual(1L, (long)h["a"]);
            ArrayList b = (ArrayList)h["b"];
            Assert.AreEqual(3, b.Count);
            Assert.IsTrue((bool)b[0]);
            Assert.IsFalse((bool)b[1]);
            Assert.IsNull(b[2]);
            Assert.AreEqual("x\"y\nA", (string)((Hashtable)h["c"])["d"]);
            Assert.AreEqual(-125.0, (double)h["e"]);
        }

        [TestMethod]
        public void IntegersStayLongAndFractionsBecomeDouble()
        {
            Assert.AreEqual(4294967295L, (long)P("4294967295"));
            Assert.AreEqual(-7L, (long)P("-7"));
            Assert.AreEqual(0.25, (double)P("0.25"));
            Assert.AreEqual(1500.0, (double)P("1.5E3"));
        }

        [TestMethod]
        public void EmptyContainersParse()
        {
            Assert.AreEqual(0, ((Hashtable)P("{}")).Count);
            Assert.AreEqual(0, ((ArrayList)P("[ ]")).Count);
        }

        [TestMethod]
        public void MalformedTextFailsWithTheCallersCodeAndPosition()
        {
            string[] bad = { "", "{", "{\"a\" 1}", "{\"a\":1,}", "[1 2]", "01", "\"abc", "tru", "{\"a\":1} x", "{a:1}", "\"\\x\"", "-", "1.", "{\"a\":1,\"a\":2}" };
            foreach (string s in bad)
            {
                OtaException e = OtaAssert.Catch(delegate { JsonReader.Parse(s, OtaError.HttpLength, "manifest"); });
                Assert.IsNotNull(e, "accepted: " + s);
                Assert.AreEqual(OtaError.HttpLength, e.Code);
                Assert.IsTrue(e.Message.StartsWith("E605 HTTP_LENGTH: manifest: "), e.Message);
            }
        }

        [TestMethod]
        public void DeepNestingIsRefused()
        {
            string s = "";
            for (int i = 0; i < 40; i++) s += "[";
            for (int i = 0; i < 40; i++) s += "]";
            Assert.AreEqual(OtaError.Config, OtaAssert.ErrorOf(delegate { P(s); }));
        }

        [TestMethod]
        public void ParseObjectRejectsNonObjects()
        {
            Assert.AreEqual(OtaError.Config, OtaAssert.ErrorOf(delegate { JsonReader.ParseObject("[1]", OtaError.Config, "config"); }));
            Assert.IsNotNull(JsonReader.ParseObject("{\"k\":\"v\"}", OtaError.Config, "config"));
        }
    }
}
