#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace pw::core {

// The messages of /ws/pod-logs (docs/api.md, docs/architecture.md §4): one definition of their
// format, written by the server (LogFrameWriter) and read by the window and the tests
// (LogFrameReader). A log message:
// {"type":"log","data":"<whole lines>","seq":<first line's number>,"lines":k} — in merged mode
// with ,"pod":…,"container":… before the closing brace.

// The lines of one "log" message.
struct LogFrame {
    QStringList lines; // without their "\n", one trailing "\r" removed
    qint64 seq = -1;   // -1: not numbered
    qint64 count = -1; // the "lines" member; -1 when absent
    QString pod;       // merged mode: the source; empty otherwise
    QString container;
};

// Writing log messages straight into one buffer, without a DOM: the server's inner loop.
namespace LogFrameWriter {
// Appends `utf8` as the contents of a JSON string (RFC 8259 §7 escaping, no quotes).
void appendEscaped(QByteArray &out, QByteArrayView utf8);
// {"type":"log","data":"  — then appendLine() per line, then endLog().
void beginLog(QByteArray &out);
// One line of "data": "<timestamp> " when there is one, the text, "\n"; escaped.
void appendLine(QByteArray &out, QByteArrayView timestamp, QByteArrayView text);
// ","seq":<seq>,"lines":<lines>}
void endLog(QByteArray &out, qint64 seq, int lines);
// Merged mode: ,"pod":"…","container":"…"} closing every log message of that source.
QString sourceSuffix(const QString &pod, const QString &container);
// A shared log message with a source's suffix in place of its closing brace.
QString withSource(QStringView frame, const QString &suffix);
// The other messages (docs/api.md); `pod` and `container` name the source in merged mode
// (empty: not named).
// What a "stream" message is about: each name is sent when it is not empty.
struct StreamContext
{
    QString namespaceName;
    QString pod;
    QString container;
    QString stream; // the id that goes back with resume= (docs/api.md)
};
// {"type":"stream","state":…,"detail":…,"namespace":…,"pod":…,"container":…,"stream":…}
QString stream(const QString &state, const QString &detail, const StreamContext &context = {});
// {"type":"gap","missed":n}: lines a reader did not get.
QString gap(qint64 missed, const QString &pod = {}, const QString &container = {});
// {"type":"gap","missed":0,"restarted":true,"seq":…,"detail":…}: the stream asked for is gone;
// numbers start over at `seq`.
QString restarted(qint64 seq, const QString &detail, const QString &pod = {},
                  const QString &container = {});
} // namespace LogFrameWriter

// Reads /ws/pod-logs messages. Log frames are flat objects of strings and integers written by
// LogFrameWriter; they are parsed here directly from the QString QWebSocket hands over: one
// pass over the characters, the JSON escapes of "data" decoded (\n \r \t \" \\ \/ \b \f \uXXXX
// with surrogate pairs), the lines cut on the way, no UTF-8 round trip and no QJsonDocument.
// Members may come in any order. Anything else the direct reader does not recognise — another
// message type, nested values, numbers with a fraction or exponent, a lone surrogate, malformed
// JSON — goes through QJsonDocument, so nothing is lost and other types keep their meaning.
class LogFrameReader {
public:
    enum class Kind {
        Log,     // `frame` holds the lines
        Other,   // another message type: `object` holds it
        Invalid, // not a JSON object
    };
    struct Message {
        Kind kind = Kind::Invalid;
        LogFrame frame;
        QJsonObject object;  // Kind::Other
        bool direct = false; // read by the direct reader (false: QJsonDocument)
    };

    static Message parse(QStringView message);

    // The direct reader alone: true and `frame` filled for a log frame it recognises;
    // false (and `frame` unspecified) for anything to be handed to QJsonDocument.
    static bool parseLogFrame(QStringView message, LogFrame *frame);

    // "data" as QJsonDocument gives it, cut into lines the same way.
    static QStringList splitLines(const QString &data);
};

} // namespace pw::core
