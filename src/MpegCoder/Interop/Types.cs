using System.Runtime.InteropServices;

namespace MpegCoder.Interop;

// Opaque FFmpeg structs: the C# side only passes pointers to them. The few members it reads are
// reached through the per-release FFmpegLayout table, never through a C# mirror of the struct.
#pragma warning disable CS0649, IDE1006 // FFmpeg's own names
internal struct AVFormatContext { }
internal struct AVStream { }
internal struct AVCodecParameters { }
internal struct AVCodecContext { }
internal struct AVCodec { }
internal struct AVPacket { }
internal struct AVFrame { }
internal struct AVDictionary { }
internal struct AVInputFormat { }
internal struct AVOutputFormat { }
internal struct AVIOContext { }
internal struct SwsContext { }

/// <summary>A fraction: two ints in every FFmpeg release (size checked against the layout table).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct AVRational
{
    public int num;
    public int den;

    public AVRational(int num, int den) { this.num = num; this.den = den; }
}

/// <summary>The interrupt callback FFmpeg polls during blocking I/O (size checked against the layout table).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct AVIOInterruptCB
{
    public delegate* unmanaged[Cdecl]<nint, int> callback;
    public nint opaque;
}

/// <summary>An entry of an AVDictionary as av_dict_get returns it.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct AVDictionaryEntry
{
    public byte* key;
    public byte* value;
}
#pragma warning restore CS0649, IDE1006

/// <summary>Constants of FFmpeg's public headers that have kept their values across releases.</summary>
internal static class FFmpegConstants
{
    public const int AVMEDIA_TYPE_VIDEO = 0;
    public const int AVMEDIA_TYPE_AUDIO = 1;
    public const int AV_PIX_FMT_RGB24 = 2;
    public const int AV_PIX_FMT_BGR24 = 3;
    public const int AV_PIX_FMT_GRAY8 = 8;
    public const int AV_PIX_FMT_RGBA = 26;
    public const int AVIO_FLAG_WRITE = 2;
    /// <summary>AVOutputFormat.flags: the muxer does its own I/O (RTSP), no avio_open2.</summary>
    public const int AVFMT_NOFILE = 0x0001;
    /// <summary>AVOutputFormat.flags: the codec's headers go into the container once (MP4, MKV, FLV).</summary>
    public const int AVFMT_GLOBALHEADER = 0x0040;
    public const int SWS_FAST_BILINEAR = 1;
    public const int SWS_BILINEAR = 2;
    public const int SWS_BICUBIC = 4;
    public const int SWS_POINT = 0x10;
    public const int SWS_AREA = 0x20;
    public const int SWS_LANCZOS = 0x200;
    public const long AV_NOPTS_VALUE = long.MinValue;
    public const int AV_TIME_BASE = 1_000_000;
    public const int AV_FRAME_FLAG_CORRUPT = 1;
    public const int AV_DICT_IGNORE_SUFFIX = 2;
    /// <summary>av_opt_find: look in the object's children too (a format context's muxer).</summary>
    public const int AV_OPT_SEARCH_CHILDREN = 1;
    public const int AV_EF_EXPLODE = 1 << 3;
    public const int AV_PKT_FLAG_KEY = 1;
    public const int AV_PKT_FLAG_DISCARD = 4;
    public const int AVSEEK_FLAG_BACKWARD = 1;
    public const int AVSEEK_FLAG_BYTE = 2;

    public const int AV_LOG_ERROR = 16;
    public const int AV_LOG_WARNING = 24;
    public const int AV_LOG_INFO = 32;
    public const int AV_LOG_VERBOSE = 40;

    /// <summary>FFERRTAG('E','O','F',' ').</summary>
    public const int AVERROR_EOF = -('E' | ('O' << 8) | ('F' << 16) | (' ' << 24));

    /// <summary>FFERRTAG('E','X','I','T'): a blocking call gave up because the interrupt callback asked it to.</summary>
    public const int AVERROR_EXIT = -('E' | ('X' << 8) | ('I' << 16) | ('T' << 24));

    /// <summary>AVERROR(EAGAIN): EAGAIN is 35 on Apple systems, 11 on Linux and Windows.</summary>
    public static readonly int AVERROR_EAGAIN = OperatingSystem.IsMacOS() || OperatingSystem.IsIOS() ? -35 : -11;
}
