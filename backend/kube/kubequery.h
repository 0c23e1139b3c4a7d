#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace pw::kube {

// A URL query built by hand: QUrlQuery leaves '+' alone, which servers read as a space, so
// a sinceTime with a "+01:00" offset would arrive broken. Every key and value is
// percent-encoded with QUrl::toPercentEncoding (RFC 3986 unreserved characters stay).
class KubeQuery {
public:
    KubeQuery &add(const QString &key, const QString &value);
    KubeQuery &addIf(bool condition, const QString &key, const QString &value);
    bool isEmpty() const { return m_items.isEmpty(); }
    // "a=1&b=%2B" (no leading '?').
    QByteArray encoded() const;

private:
    QList<QPair<QString, QString>> m_items;
};

} // namespace pw::kube
