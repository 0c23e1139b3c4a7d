#include "kubequery.h"

#include <QUrl>

namespace pw::kube {

KubeQuery &KubeQuery::add(const QString &key, const QString &value) {
    m_items.append({key, value});
    return *this;
}

KubeQuery &KubeQuery::addIf(bool condition, const QString &key, const QString &value) {
    if (condition)
        add(key, value);
    return *this;
}

QByteArray KubeQuery::encoded() const {
    QByteArray out;
    for (const auto &[key, value] : m_items) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    return out;
}

} // namespace pw::kube
