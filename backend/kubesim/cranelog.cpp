#include "cranelog.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>

namespace pw::kubesim {

namespace CraneLog {

QPair<QString, QString> copyArguments(const QJsonObject &container) {
    QStringList words;
    for (const char *key : {"command", "args"})
        for (const QJsonValue &v : container.value(QLatin1String(key)).toArray())
            words += v.toString().split(u' ', Qt::SkipEmptyParts);
    for (int i = 0; i + 2 < words.size(); ++i)
        if (words[i] == QStringLiteral("copy") || words[i] == QStringLiteral("cp"))
            return {words[i + 1], words[i + 2]};
    return {};
}

QString digestOf(const QString &text) {
    return QStringLiteral("sha256:") +
           QString::fromLatin1(
               QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex());
}

QByteArray stamp() {
    return QDateTime::currentDateTime().toString(QStringLiteral("yyyy/MM/dd HH:mm:ss")).toLatin1();
}

QList<QByteArray> successLines(const QString &source, const QString &target) {
    QList<QByteArray> lines;
    lines << stamp() + " Copying from " + source.toUtf8() + " to " + target.toUtf8();
    for (int i = 0; i < 4; ++i)
        lines << stamp() + " pushed blob: " + digestOf(source + QString::number(i)).toLatin1();
    lines << stamp() + " pushed blob: " + digestOf(source + QStringLiteral("config")).toLatin1();
    lines << stamp() + ' ' + target.toUtf8() + ": digest: " + digestOf(source).toLatin1() +
                 " size: " + QByteArray::number(1200 + int(qHash(source) % 900));
    return lines;
}

QList<QByteArray> failureLines(const QString &source, const QString &target) {
    QString host = target.section(u'/', 0, 0);
    QString repo = target.section(u'/', 1).section(u':', 0, 0);
    QList<QByteArray> lines;
    lines << stamp() + " Copying from " + source.toUtf8() + " to " + target.toUtf8();
    lines << stamp() + " existing blob: " + digestOf(source + QStringLiteral("0")).toLatin1();
    lines << "Error: PUT https://" + host.toUtf8() + "/v2/" + repo.toUtf8() +
                 "/manifests/latest: UNAUTHORIZED: unauthorized to access repository: " +
                 repo.toUtf8() +
                 ", action: push: unauthorized to access repository: " + repo.toUtf8() +
                 ", action: push";
    return lines;
}

QString pullError(const QString &image, bool unauthorized) {
    if (unauthorized)
        return QStringLiteral("rpc error: code = Unknown desc = failed to pull and unpack image "
                              "\"%1\": failed to resolve reference \"%1\": pull access denied, "
                              "repository does not exist or may require authorization: "
                              "unauthorized: authentication required")
            .arg(image);
    return QStringLiteral("rpc error: code = NotFound desc = failed to pull and unpack image "
                          "\"%1\": failed to resolve reference \"%1\": %1: not found")
        .arg(image);
}

} // namespace CraneLog

} // namespace pw::kubesim
