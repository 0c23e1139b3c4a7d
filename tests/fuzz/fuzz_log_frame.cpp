// The /ws/pod-logs message format (core/logframe.h): any message the window may receive goes
// through LogFrameReader without a crash, and what its direct path takes agrees with
// QJsonDocument; any lines written by LogFrameWriter are read back as they were (one trailing
// "\r" aside, invalid UTF-8 as U+FFFD).
#include "core/logframe.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstdlib>

using namespace pw::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));

    // As a message.
    const QString message = QString::fromUtf8(bytes);
    const LogFrameReader::Message m = LogFrameReader::parse(message);
    if (m.direct) {
        const QJsonObject o = QJsonDocument::fromJson(message.toUtf8()).object();
        if (o.value(QStringLiteral("type")).toString() != QStringLiteral("log"))
            abort();
        if (LogFrameReader::splitLines(o.value(QStringLiteral("data")).toString()) != m.frame.lines)
            abort();
    }

    // As lines to write and read back.
    QByteArray out;
    LogFrameWriter::beginLog(out);
    QStringList expected;
    const QList<QByteArray> lines = bytes.split('\n');
    for (const QByteArray &line : lines) {
        LogFrameWriter::appendLine(out, {}, line);
        QString text = QString::fromUtf8(line);
        if (text.endsWith(u'\r'))
            text.chop(1);
        expected.append(text);
    }
    LogFrameWriter::endLog(out, 7, int(lines.size()));
    LogFrame frame;
    if (!LogFrameReader::parseLogFrame(QString::fromUtf8(out), &frame))
        abort();
    if (frame.lines != expected || frame.seq != 7 || frame.count != lines.size())
        abort();
    return 0;
}
