#if NANOFRAMEWORK_1_0
using nanoFramework.TestFramework;
#else
using Microsoft.VisualStudio.TestTools.UnitTesting;
#endif
#if !NANOFRAMEWORK_1_0
using Ota.Tools.Images;
using OtaCore.DataUpdate;
using OtaCore.Image;
using OtaCore.Partitions;
using OtaCore.Tests.Support;

namespace OtaCore.Tests.DataUpdate
{
    /// <summary>
    /// ChainHeader: the managed parser of a package's first header with `next` (section 15), on
    /// packages made by the host tools (ImagePacker, MultiImagePackage).
    /// </summary>
    [TestClass]
    public class ChainHeaderTests
    {
        private static OtaError CodeOf(byte[] b)
        {
            try
            {
                ChainHeader.Parse(b, 0);
            }
            catch (OtaException e)
            {
                return e.Code;
            }
            return OtaError.Ok;
        }

        private static void Reseal(byte[] b) => ImageHeader.WriteU32(b, 0x3C, Crc32.Compute(b, 0, 0x3C));

        [TestMethod]
        public void ChainFirstHeaderKeepsNextAndCompat()
        {
            PartitionTable t = DefaultLayout.Table();
            byte[] app = ImagePacker.BuildFull(ImagePacker.Template(t, "app", "2.0.0", 2), TestPackage.Body(5000, 1), t.App);
            byte[] data = ImagePacker.BuildFull(ImagePacker.Template(t, "deploy", "2.0.0", 2), TestPackage.Body(3000, 2), t.Find("deploy"));
            byte[] pkg = MultiImagePackage.Chain(app, data, true, t);
            ImageHeader h = ChainHeader.Parse(pkg, 0);
            Assert.AreEqual((uint)app.Length, h.Next);
            Assert.AreEqual(ChainHeader.DeployCompatFlag, h.Flags & ChainHeader.DeployCompatFlag);
            Assert.AreEqual("2.0.0", h.Version);
            Assert.AreEqual((long)pkg.Length, ChainHeader.PackageLength(h, pkg.Length));
            Assert.AreEqual(OtaError.ImgNext, CodeOfLength(h, app.Length + 10));

            // a plain image parses as before and its length is its own
            ImageHeader p = ChainHeader.Parse(app, 0);
            Assert.AreEqual(0u, p.Next);
            Assert.AreEqual((long)app.Length, ChainHeader.PackageLength(p, 123456));

            // next not at the end of the first image; a data image cannot start a chain
            byte[] bad = (byte[])pkg.Clone();
            ImageHeader.WriteU32(bad, 0x38, (uint)app.Length + 4);
            Reseal(bad);
            Assert.AreEqual(OtaError.ImgNext, CodeOf(bad));
            bad = (byte[])data.Clone();
            ImageHeader.WriteU32(bad, 0x38, (uint)data.Length);
            Reseal(bad);
            Assert.AreEqual(OtaError.ImgNext, CodeOf(bad));
            // header CRC and magic keep their codes
            bad = (byte[])pkg.Clone();
            bad[0x21] ^= 1;
            Assert.AreEqual(OtaError.ImgHeaderCrc, CodeOf(bad));
            bad = (byte[])pkg.Clone();
            bad[0] ^= 1;
            Assert.AreEqual(OtaError.ImgMagic, CodeOf(bad));
            // deploy_compat without a chain is still a reserved flag bit
            bad = (byte[])app.Clone();
            ImageHeader.WriteU32(bad, 0x30, ChainHeader.DeployCompatFlag);
            Reseal(bad);
            Assert.AreEqual(OtaError.ImgFlags, CodeOf(bad));
        }

        private static OtaError CodeOfLength(ImageHeader h, long declared)
        {
            try
            {
                ChainHeader.PackageLength(h, declared);
            }
            catch (OtaException e)
            {
                return e.Code;
            }
            return OtaError.Ok;
        }
    }
}
#endif
