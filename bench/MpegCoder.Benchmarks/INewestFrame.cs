namespace MpegCoder.Benchmarks;

/// <summary>A live consumer of the barcode stream, asked at any moment which frame it would hand out now.</summary>
internal interface INewestFrame : IDisposable
{
    string Name { get; }

    /// <summary>The barcode index of the newest frame available to the application now; null before the first.</summary>
    int? NewestIndex();
}
