#include "logsetup.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRegularExpression>

#include <cstdio>

namespace pw::app {

namespace {

bool g_json = false;

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg: return "debug";
    case QtInfoMsg: return "info";
    case QtWarningMsg: return "warning";
    case QtCriticalMsg: return "error";
    case QtFatalMsg: return "fatal";
    }
    return "info";
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString time = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    const QString category = QString::fromLatin1(context.category ? context.category : "default");
    const QString text = LogSetup::redact(message);
    QByteArray line;
    if (g_json) {
        const QJsonObject o{{QStringLiteral("time"), time},
                            {QStringLiteral("level"), QString::fromLatin1(levelName(type))},
                            {QStringLiteral("category"), category},
                            {QStringLiteral("message"), text}};
        line = QJsonDocument(o).toJson(QJsonDocument::Compact);
    } else {
        line = QStringLiteral("%1 %2 %3: %4")
                   .arg(time, QString::fromLatin1(levelName(type)), category, text)
                   .toUtf8();
    }
    line += '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
    if (type == QtFatalMsg)
        std::abort();
}

} // namespace

namespace LogSetup {

QString redact(const QString &message)
{
    static const QRegularExpression bearer(QStringLiteral("(Bearer\\s+)[^\\s\"']+"),
                                           QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression urlPassword(QStringLiteral("(\\w+://[^:/@\\s]*:)[^@\\s]+@"));
    static const QRegularExpression tokenField(
        QStringLiteral("((?:token|password|secret)\"?\\s*[:=]\\s*\"?)[^\\s\",]+"),
        QRegularExpression::CaseInsensitiveOption);
    if (!message.contains(QStringLiteral("earer"), Qt::CaseInsensitive)
        && !message.contains(u'@') && !message.contains(QStringLiteral("token"), Qt::CaseInsensitive)
        && !message.contains(QStringLiteral("password"), Qt::CaseInsensitive)
        && !message.contains(QStringLiteral("secret"), Qt::CaseInsensitive))
        return message;
    QString out = message;
    out.replace(bearer, QStringLiteral("\\1[redacted]"));
    out.replace(urlPassword, QStringLiteral("\\1[redacted]@"));
    out.replace(tokenField, QStringLiteral("\\1[redacted]"));
    return out;
}

void install(const QString &level, const QString &format)
{
    g_json = format == u"json";
    QString rules;
    if (level == u"debug")
        rules = QStringLiteral("pullwatch.*.debug=true");
    else if (level == u"info")
        rules = QStringLiteral("pullwatch.*.debug=false");
    else if (level == u"warning")
        rules = QStringLiteral("pullwatch.*.debug=false\npullwatch.*.info=false");
    else
        rules = QStringLiteral("pullwatch.*.debug=false\npullwatch.*.info=false\n"
                               "pullwatch.*.warning=false\n*.warning=false");
    QLoggingCategory::setFilterRules(rules);
    qInstallMessageHandler(handler);
}

} // namespace LogSetup

} // namespace pw::app
