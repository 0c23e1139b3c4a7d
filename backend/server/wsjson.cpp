#include "wsjson.h"

#include <QJsonDocument>

namespace WsJson {

void appendEscaped(QByteArray &out, QByteArrayView utf8)
{
    static const char hex[] = "0123456789abcdef";
    const char *p = utf8.data();
    const char *end = p + utf8.size();
    const char *run = p; // start of a run of bytes copied as they are
    for (; p != end; ++p) {
        const auto c = static_cast<unsigned char>(*p);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(run, p - run);
        run = p + 1;
        switch (c) {
        case '"': out.append("\\\"", 2); break;
        case '\\': out.append("\\\\", 2); break;
        case '\n': out.append("\\n", 2); break;
        case '\r': out.append("\\r", 2); break;
        case '\t': out.append("\\t", 2); break;
        default: {
            const char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            out.append(u, 6);
        }
        }
    }
    out.append(run, end - run);
}

QString text(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QString error(const QString &message)
{
    return text({{QStringLiteral("type"), QStringLiteral("error")},
                 {QStringLiteral("error"), message}});
}

QString gap(qint64 missed, const QString &detail)
{
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("gap")},
                  {QStringLiteral("missed"), missed}};
    if (!detail.isEmpty())
        o.insert(QStringLiteral("detail"), detail);
    return text(o);
}

QString stream(const QString &state, const QString &detail, const QJsonObject &extra)
{
    QJsonObject o = extra;
    o.insert(QStringLiteral("type"), QStringLiteral("stream"));
    o.insert(QStringLiteral("state"), state);
    o.insert(QStringLiteral("detail"), detail);
    return text(o);
}

} // namespace WsJson
