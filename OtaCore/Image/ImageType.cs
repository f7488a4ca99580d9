namespace OtaCore.Image
{
    /// <summary>The <c>img_type</c> field (bits 3:0 of <c>img_attr</c>, docs/design.md section 3).</summary>
    public enum ImageType
    {
        /// <summary>An application image, installed into the <c>app</c> partition.</summary>
        App = 1,
        /// <summary>A data partition image.</summary>
        Data = 2,
    }
}
