#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

#include <array>
#include <functional>

namespace pw::http { class HttpServer; }

namespace pw::server {

// Prometheus text exposition for /metrics. Request counts and latency by route, method and
// status are recorded here; other parts add their own lines through sections.
class Metrics : public QObject
{
    Q_OBJECT
public:
    using Section = std::function<void(QByteArray &out)>;

    explicit Metrics(http::HttpServer *http, QObject *parent = nullptr);
    void addSection(Section section) { m_sections.append(std::move(section)); }
    QByteArray render() const;

    // Helpers for sections.
    static void help(QByteArray &out, const char *name, const char *type, const char *text);
    static QByteArray label(const QString &value);
    // The method label of a request: one of the standard methods, "other" or "invalid".
    static QByteArray methodLabel(const QByteArray &method);

private:
    void record(const QByteArray &method, const QString &route, int status, qint64 us);

    struct Key
    {
        QString route;
        QByteArray method;
        int status;
        bool operator==(const Key &o) const
        {
            return status == o.status && method == o.method && route == o.route;
        }
    };
    friend size_t qHash(const Key &k, size_t seed) { return qHashMulti(seed, k.route, k.method, k.status); }
    static constexpr std::array<double, 9> kBuckets{0.0001, 0.0005, 0.001, 0.005, 0.01,
                                                    0.05,   0.1,    0.5,   1.0};
    struct Latency
    {
        std::array<quint64, kBuckets.size()> buckets{};
        quint64 count = 0;
        double sum = 0;
    };

    http::HttpServer *m_http;
    QHash<Key, quint64> m_requests;
    QHash<QString, Latency> m_latency;
    QList<Section> m_sections;
};

} // namespace pw::server
