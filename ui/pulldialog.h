#pragma once

#include <QDialog>
#include <QStringList>

class QDialogButtonBox;
class QJsonArray;
class QLabel;
class QPlainTextEdit;

// "Pull images": one reference per line (pasted lists welcome; blank lines and # comments
// are ignored), each validated as you type with the server's own rules
// (ImageReference::parse), bad lines marked with the reason.
class PullDialog : public QDialog {
    Q_OBJECT
public:
    explicit PullDialog(QWidget *parent = nullptr);

    void setText(const QString &text);
    QPlainTextEdit *editor() const { return m_edit; }
    // The references to start, as typed; empty unless every line is valid.
    QStringList references() const { return m_valid; }
    // "line N: why" for each bad line.
    QStringList problems() const { return m_problems; }
    bool canStart() const;
    // On the demo cluster: lists what its image names do, each example a link that adds it.
    void setDemoOutcomes(const QJsonArray &outcomes);
    QLabel *demoHint() const { return m_demoHint; }

private:
    void validate();

    QPlainTextEdit *m_edit;
    QLabel *m_report;
    QLabel *m_demoHint;
    QDialogButtonBox *m_buttons;
    QStringList m_valid;
    QStringList m_problems;
};
