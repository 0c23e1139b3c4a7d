#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QStringView>

// The lines of one /ws/pod-logs "log" message (docs/api.md):
// {"type":"log","data":"<whole lines>","seq":<first line's number>,"lines":k}.
struct LogFrame {
    QStringList lines; // without their "\n", one trailing "\r" removed
    qint64 seq = -1;   // -1: not numbered
    qint64 count = -1; // the "lines" member; -1 when absent
};

// Reads /ws/pod-logs messages. Log frames are flat objects of strings and integers written by
// our own server (backend/logs/logfanout.cpp, LogFanout::frame()); they are parsed
// here directly from the QString QWebSocket hands over: one pass over the characters, the
// JSON escapes of "data" decoded (\n \r \t \" \\ \/ \b \f \uXXXX with surrogate pairs), the
// lines cut on the way, no UTF-8 round trip and no QJsonDocument. Members may come in any
// order. Anything else the direct reader does not recognise — another message type, nested
// values, numbers with a fraction or exponent, a lone surrogate, malformed JSON — goes through
// QJsonDocument, as every message did before, so nothing is lost and other types keep their
// meaning.
class LogFrameParser {
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
