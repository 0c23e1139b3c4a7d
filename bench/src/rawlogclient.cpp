// pwbench-rawlog: WebSocket log viewers that are not the bottleneck. Plain sockets and poll(),
// frames read without a JSON parse (the "lines", "seq", "missed" fields and the first
// timestamp are found by position), spread over several processes.
//   --url ws://127.0.0.1:PORT/ws/pod-logs?…   or  --urls FILE (one URL a line, taken in turn)
//   --viewers N --processes P --warmup S --seconds S
//   --send TEXT   a message sent once connected (the bare server's {"action":"flood"})
//   --read-mbps R each viewer reads at most R MB/s (slow viewers draining at the same rate)
// Per viewer and source (pod/container) it checks the seq numbers: lines neither delivered
// nor reported in a gap are "lost", lines delivered twice "duplicated". With timestamps=true
// the latency of a frame is now (CLOCK_REALTIME) minus the kubelet timestamp of its first
// (oldest) line. Prints key=value lines like pwbench-logclient, plus the client's own CPU.
#include "benchutil.h"

#include "core/wsprotocolname.h"

#include <QFile>
#include <QStringList>
#include <QUrl>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace pw::core;

namespace {

double nowMono() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

double nowReal() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

double cpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// "2026-12-06T05:12:00.123456789Z" → seconds since the epoch; < 0 when it is not one.
double parseStamp(std::string_view s) {
    if (s.size() < 20 || s[4] != '-' || s[10] != 'T')
        return -1;
    tm t{};
    auto num = [&](size_t at, size_t n) {
        int v = 0;
        for (size_t i = at; i < at + n; ++i)
            v = v * 10 + (s[i] - '0');
        return v;
    };
    t.tm_year = num(0, 4) - 1900;
    t.tm_mon = num(5, 2) - 1;
    t.tm_mday = num(8, 2);
    t.tm_hour = num(11, 2);
    t.tm_min = num(14, 2);
    t.tm_sec = num(17, 2);
    double frac = 0;
    double scale = 0.1;
    for (size_t i = 20; i < s.size() && s[19] == '.' && s[i] >= '0' && s[i] <= '9'; ++i) {
        frac += (s[i] - '0') * scale;
        scale /= 10;
    }
    return double(timegm(&t)) + frac;
}

// The number after `key` ("\"seq\":") searched from `from`; -1 if absent.
long long numberAfter(std::string_view text, std::string_view key, size_t from = 0) {
    const size_t at = text.find(key, from);
    if (at == std::string_view::npos)
        return -1;
    long long v = 0;
    for (size_t i = at + key.size(); i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
        v = v * 10 + (text[i] - '0');
    return v;
}

struct Stats {
    long long bytes = 0;
    long long lines = 0;
    long long gaps = 0;
    long long missed = 0;
    long long lost = 0;
    long long duplicated = 0;
};

// TEXT as a client frame (RFC 6455 §5.3: masked; the key 0 leaves the payload as it is).
std::string clientFrame(const std::string &text) {
    std::string f;
    f += char(0x81);
    f += char(0x80 | int(text.size())); // short texts only (< 126 bytes)
    f.append(4, '\0');
    f += text;
    return f;
}

struct Viewer {
    int fd = -1;
    std::string send;
    double allowance = 0; // bytes it may read now (--read-mbps)
    std::string in;
    std::string message; // a text message being assembled from fragments
    bool upgraded = false;
    bool closed = false;
    std::map<std::string, long long> expected; // next seq per source
    Stats total;   // whole run (loss and duplicates are checked over the whole run)
    Stats atStart; // at the start of the measured window
};

void onLogMessage(Viewer &v, std::string_view m, bool measuring, std::vector<float> *latencies) {
    if (m.compare(0, 14, "{\"type\":\"gap\",") == 0) {
        ++v.total.gaps;
        const long long missed = std::max(0LL, numberAfter(m, "\"missed\":"));
        v.total.missed += missed;
        std::string key;
        const size_t podAt = m.find("\"pod\":\"");
        if (podAt != std::string_view::npos)
            key = std::string(m.substr(podAt, m.find('}', podAt) - podAt));
        if (m.find("\"restarted\":true") != std::string_view::npos)
            v.expected.erase(key);
        else if (v.expected.count(key))
            v.expected[key] += missed;
        return;
    }
    if (m.compare(0, 13, "{\"type\":\"log\"") != 0)
        return;
    const size_t dataAt = m.find("\"data\":\"");
    if (dataAt == std::string_view::npos)
        return;
    // The data string ends at the last `","seq":` (every quote inside it is escaped).
    const size_t dataEnd = m.rfind("\",\"seq\":");
    if (dataEnd == std::string_view::npos || dataEnd < dataAt)
        return;
    const std::string_view data = m.substr(dataAt + 8, dataEnd - dataAt - 8);
    const long long seq = numberAfter(m, "\"seq\":", dataEnd);
    const long long lines = numberAfter(m, "\"lines\":", dataEnd);
    long long escapes = 0;
    for (const char *p = data.data(), *end = p + data.size();
         (p = static_cast<const char *>(std::memchr(p, '\\', size_t(end - p)))) != nullptr; p += 2)
        ++escapes;
    v.total.bytes += (long long)data.size() - escapes;
    v.total.lines += lines;
    std::string key;
    const size_t podAt = m.find("\"pod\":\"", dataEnd);
    if (podAt != std::string_view::npos)
        key = std::string(m.substr(podAt, m.find('}', podAt) - podAt));
    auto it = v.expected.find(key);
    if (it != v.expected.end()) {
        if (seq > it->second)
            v.total.lost += seq - it->second;
        else if (seq < it->second)
            v.total.duplicated += std::min(lines, it->second - seq);
    }
    v.expected[key] = seq + lines;
    if (measuring && latencies) {
        const double stamp = parseStamp(data.substr(0, 30));
        if (stamp > 0)
            latencies->push_back(float((nowReal() - stamp) * 1000.0));
    }
}

// Parses what `v.in` holds: the handshake answer, then frames. Returns false on close.
bool consume(Viewer &v, bool measuring, std::vector<float> *latencies) {
    size_t pos = 0;
    if (!v.upgraded) {
        const size_t end = v.in.find("\r\n\r\n");
        if (end == std::string::npos)
            return true;
        if (v.in.compare(0, 12, "HTTP/1.1 101") != 0) {
            std::fprintf(stderr, "pwbench-rawlog: handshake refused: %s\n",
                         v.in.substr(0, v.in.find("\r\n")).c_str());
            return false;
        }
        v.upgraded = true;
        pos = end + 4;
        if (!v.send.empty()) {
            const std::string f = clientFrame(v.send);
            (void)!::write(v.fd, f.data(), f.size());
        }
    }
    for (;;) {
        if (v.in.size() - pos < 2)
            break;
        const auto *h = reinterpret_cast<const unsigned char *>(v.in.data() + pos);
        const bool fin = h[0] & 0x80;
        const int opcode = h[0] & 0x0f;
        unsigned long long len = h[1] & 0x7f;
        size_t head = 2;
        if (len == 126) {
            if (v.in.size() - pos < 4)
                break;
            len = (unsigned(h[2]) << 8) | h[3];
            head = 4;
        } else if (len == 127) {
            if (v.in.size() - pos < 10)
                break;
            len = 0;
            for (int i = 0; i < 8; ++i)
                len = (len << 8) | h[2 + i];
            head = 10;
        }
        if (v.in.size() - pos < head + len)
            break;
        const std::string_view payload(v.in.data() + pos + head, size_t(len));
        pos += head + size_t(len);
        if (opcode == 0x8)
            return false;
        if (opcode == 0x9) { // ping → masked pong with the same payload (mask 0: payload as is)
            std::string pong;
            pong += char(0x8a);
            pong += char(0x80 | int(payload.size()));
            pong.append(4, '\0');
            pong.append(payload);
            (void)!::write(v.fd, pong.data(), pong.size());
            continue;
        }
        if (opcode == 0x1 || opcode == 0x0) {
            if (fin && v.message.empty()) {
                onLogMessage(v, payload, measuring, latencies);
            } else {
                v.message.append(payload);
                if (fin) {
                    onLogMessage(v, v.message, measuring, latencies);
                    v.message.clear();
                }
            }
        }
    }
    v.in.erase(0, pos);
    return true;
}

int connectTo(const QUrl &url) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(quint16(url.port(80)));
    inet_pton(AF_INET, url.host().toLatin1().constData(), &addr.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    QByteArray target = url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority);
    if (!target.startsWith('/'))
        target.prepend('/');
    const QByteArray request =
        "GET " + target + " HTTP/1.1\r\nHost: " + url.authority().toLatin1() +
        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Protocol: " +
        WsProtocolName::v2().toLatin1() + "\r\n\r\n";
    if (::write(fd, request.constData(), size_t(request.size())) != request.size()) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// One process: its viewers until the window ends; writes "v bytes lines gaps missed lost dup
// connected" per viewer, then "l ms" per latency sample, then "cpu seconds" to `out`.
void runViewers(const std::vector<QUrl> &urls, const std::string &send, double readMbps,
                double warmup, double seconds, FILE *out) {
    const double readRate = readMbps * 1e6; // bytes a second per viewer; 0: unlimited
    double lastRefill = nowMono();
    std::vector<Viewer> viewers(urls.size());
    for (size_t i = 0; i < urls.size(); ++i) {
        viewers[i].fd = connectTo(urls[i]);
        viewers[i].send = send.substr(0, 125);
        viewers[i].closed = viewers[i].fd < 0;
    }
    std::vector<float> latencies;
    std::vector<pollfd> fds(viewers.size());
    const double start = nowMono();
    bool measuring = false;
    double cpuAtStart = 0;
    std::vector<char> buffer(1 << 20);
    for (;;) {
        const double now = nowMono();
        if (!measuring && now >= start + warmup) {
            measuring = true;
            cpuAtStart = cpuSeconds();
            for (Viewer &v : viewers)
                v.atStart = v.total;
        }
        if (now >= start + warmup + seconds)
            break;
        if (readRate > 0) {
            // Every viewer's allowance grows at the same rate, up to one read buffer.
            const double dt = now - lastRefill;
            lastRefill = now;
            for (Viewer &v : viewers)
                v.allowance = std::min(v.allowance + dt * readRate, double(buffer.size()));
        }
        bool throttled = false;
        for (size_t i = 0; i < viewers.size(); ++i) {
            const bool mayRead = readRate <= 0 || viewers[i].allowance >= 4096;
            throttled = throttled || !mayRead;
            fds[i] = {viewers[i].closed || !mayRead ? -1 : viewers[i].fd, POLLIN, 0};
        }
        if (::poll(fds.data(), nfds_t(fds.size()), throttled ? 2 : 50) < 0)
            break;
        for (size_t i = 0; i < viewers.size(); ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            Viewer &v = viewers[i];
            const size_t want = readRate > 0 ? size_t(v.allowance) : buffer.size();
            const ssize_t n = ::read(v.fd, buffer.data(), std::min(want, buffer.size()));
            if (n <= 0) {
                v.closed = true;
                continue;
            }
            v.allowance -= double(n);
            v.in.append(buffer.data(), size_t(n));
            if (!consume(v, measuring, &latencies))
                v.closed = true;
        }
    }
    const double cpu = cpuSeconds() - cpuAtStart;
    for (Viewer &v : viewers) {
        std::fprintf(out, "v %lld %lld %lld %lld %lld %lld %d\n", v.total.bytes - v.atStart.bytes,
                     v.total.lines - v.atStart.lines, v.total.gaps, v.total.missed, v.total.lost,
                     v.total.duplicated, v.upgraded ? 1 : 0);
        if (v.fd >= 0)
            ::close(v.fd);
    }
    for (float l : latencies)
        std::fprintf(out, "l %.3f\n", double(l));
    std::fprintf(out, "cpu %.4f\n", cpu);
    std::fflush(out);
}

} // namespace

int main(int argc, char **argv) {
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    BenchUtil::raiseFileLimit();
    std::vector<QUrl> pool;
    const QString urlsFile = BenchUtil::option(args, "urls");
    if (!urlsFile.isEmpty()) {
        QFile f(urlsFile);
        if (!f.open(QIODevice::ReadOnly))
            return 2;
        for (const QByteArray &line : f.readAll().split('\n'))
            if (!line.trimmed().isEmpty())
                pool.emplace_back(QString::fromUtf8(line.trimmed()));
    } else {
        pool.emplace_back(BenchUtil::option(args, "url"));
    }
    const int viewers = BenchUtil::option(args, "viewers", QStringLiteral("1")).toInt();
    const int processes =
        qBound(1, BenchUtil::option(args, "processes", QStringLiteral("1")).toInt(), viewers);
    const double warmup = BenchUtil::option(args, "warmup", QStringLiteral("1")).toDouble();
    const double seconds = BenchUtil::option(args, "seconds", QStringLiteral("5")).toDouble();
    if (pool.empty() || !pool.front().isValid() || viewers < 1 || seconds <= 0) {
        std::fprintf(stderr, "usage: pwbench-rawlog --url URL|--urls FILE [--viewers N] "
                             "[--processes P] [--warmup S] [--seconds S]\n");
        return 2;
    }
    std::vector<FILE *> pipes;
    std::vector<pid_t> children;
    for (int p = 0; p < processes; ++p) {
        std::vector<QUrl> mine;
        for (int i = p; i < viewers; i += processes)
            mine.push_back(pool[size_t(i) % pool.size()]);
        int fds[2];
        if (::pipe(fds) != 0)
            return 1;
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::close(fds[0]);
            FILE *out = ::fdopen(fds[1], "w");
            runViewers(mine, BenchUtil::option(args, "send").toStdString(),
                       BenchUtil::option(args, "read-mbps", QStringLiteral("0")).toDouble(), warmup,
                       seconds, out);
            std::fclose(out);
            ::_exit(0);
        }
        ::close(fds[1]);
        children.push_back(pid);
        pipes.push_back(::fdopen(fds[0], "r"));
    }
    QList<double> mbps;
    std::vector<double> latencies;
    Stats sum;
    double cpu = 0;
    double firstLines = -1;
    int connected = 0;
    char line[256];
    for (FILE *in : pipes) {
        while (std::fgets(line, sizeof line, in)) {
            Stats s;
            int up = 0;
            double value = 0;
            if (std::sscanf(line, "v %lld %lld %lld %lld %lld %lld %d", &s.bytes, &s.lines, &s.gaps,
                            &s.missed, &s.lost, &s.duplicated, &up) == 7) {
                mbps << double(s.bytes) / seconds / 1e6;
                if (firstLines < 0)
                    firstLines = double(s.lines);
                sum.bytes += s.bytes;
                sum.lines += s.lines;
                sum.gaps += s.gaps;
                sum.missed += s.missed;
                sum.lost += s.lost;
                sum.duplicated += s.duplicated;
                connected += up;
            } else if (std::sscanf(line, "l %lf", &value) == 1) {
                latencies.push_back(value);
            } else if (std::sscanf(line, "cpu %lf", &value) == 1) {
                cpu += value;
            }
        }
        std::fclose(in);
    }
    for (pid_t pid : children)
        ::waitpid(pid, nullptr, 0);
    QList<double> lat(latencies.begin(), latencies.end());
    BenchUtil::emitValue("viewers", double(viewers));
    BenchUtil::emitValue("viewers_connected", double(connected));
    BenchUtil::emitValue("lines_per_second", firstLines / seconds);
    BenchUtil::emitValue("lines_per_second_total", double(sum.lines) / seconds);
    BenchUtil::emitValue("lines_total", double(sum.lines));
    BenchUtil::emitValue("bytes_total", double(sum.bytes));
    BenchUtil::emitValue("mb_per_second", BenchUtil::percentile(mbps, 50));
    BenchUtil::emitValue("mb_per_second_min", BenchUtil::percentile(mbps, 0));
    BenchUtil::emitValue("mb_per_second_max", BenchUtil::percentile(mbps, 100));
    BenchUtil::emitValue("mb_per_second_total", double(sum.bytes) / seconds / 1e6);
    BenchUtil::emitValue("gap_messages", double(sum.gaps));
    BenchUtil::emitValue("lines_missed", double(sum.missed));
    BenchUtil::emitValue("lines_lost", double(sum.lost));
    BenchUtil::emitValue("lines_duplicated", double(sum.duplicated));
    BenchUtil::emitValue("latency_samples", double(lat.size()));
    BenchUtil::emitValue("latency_p50_ms", BenchUtil::percentile(lat, 50));
    BenchUtil::emitValue("latency_p99_ms", BenchUtil::percentile(lat, 99));
    BenchUtil::emitValue("client_cpu_s", cpu);
    return 0;
}
