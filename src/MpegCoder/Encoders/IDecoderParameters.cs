using MpegCoder.Streaming;
namespace MpegCoder;

/// <summary>
/// A decoding face whose stream parameters an encoder can copy (<c>SetParameter(decoder: ...)</c> of
/// <see cref="MpegEncoder"/> and <see cref="MpegServer"/>): the original's GetParameter() dictionary.
/// Implemented by <see cref="MpegClient"/> and <see cref="MpegDecoder"/>.
/// </summary>
public interface IDecoderParameters
{
    /// <summary>
    /// The parameters by the original's names; an encoder copies codecName, bitRate, GOPSize, maxBframe,
    /// nthread, widthDst and heightDst (else width and height) and frameRate as (num, den), never videoPath.
    /// </summary>
    IReadOnlyDictionary<string, object> GetParameter();
}
