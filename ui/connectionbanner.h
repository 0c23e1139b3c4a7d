#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace pw::ui {

// The red banner over the window whenever nothing can work, with the action that fixes it:
// the backend unreachable (Retry now), the token refused (Enter token…), too many refused
// tokens (when to retry), no cluster configured or the cluster unreachable (Connect…).
// Never hidden while one of these holds; hidden when everything works.
class ConnectionBanner : public QFrame {
    Q_OBJECT
public:
    enum class Problem { None, Unreachable, Unauthorized, Throttled, NoCluster, ClusterDown };
    Q_ENUM(Problem)

    explicit ConnectionBanner(QWidget *parent = nullptr);
    // Shows `problem` with `text`; Problem::None hides the banner.
    void setProblem(Problem problem, const QString &text);
    Problem problem() const { return m_problem; }
    QString text() const;
    QPushButton *actionButton() const { return m_action; }

Q_SIGNALS:
    void retryRequested();
    void tokenRequested();
    void connectRequested();

private:
    QLabel *m_label;
    QPushButton *m_action;
    Problem m_problem = Problem::None;
};

} // namespace pw::ui
