//! A local SMTP sink: accepts every mail, keeps it, and (for `koppel mail-sink`) prints it and
//! writes it to a folder as JSON. It is how mails, one-time links included, are read on a
//! developer's machine and in the tests: the outbox never shows those links.
//!
//! It speaks just enough SMTP for `lettre` (HELO/EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), and
//! decodes quoted-printable and base64 bodies. Not for production.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use std::io::Write;

use anyhow::Context;
use base64::Engine;
use serde::Serialize;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Longest mail the sink takes, in bytes.
const MAX_MAIL_BYTES: usize = 4 * 1024 * 1024;

/// One received mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceivedMail {
    /// The envelope's recipients.
    pub recipients: Vec<String>,
    /// The `Subject` header as sent.
    pub subject: String,
    /// The body, decoded.
    pub body: String,
}

/// A running sink.
#[derive(Debug, Clone, Default)]
pub struct MailSink {
    received: Arc<Mutex<Vec<ReceivedMail>>>,
}

impl MailSink {
    /// Listens on `bind` (port 0 picks one); with `folder`, writes each mail there as
    /// `<n>.json` and prints it.
    pub async fn start(bind: &str, folder: Option<PathBuf>) -> anyhow::Result<(Self, SocketAddr)> {
        let listener = TcpListener::bind(bind)
            .await
            .with_context(|| format!("cannot listen on {bind}"))?;
        let address = listener.local_addr()?;
        if let Some(folder) = &folder {
            std::fs::create_dir_all(folder)
                .with_context(|| format!("cannot create {}", folder.display()))?;
        }
        let sink = Self::default();
        let accepting = sink.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let sink = accepting.clone();
                let folder = folder.clone();
                tokio::spawn(async move {
                    let (reader, writer) = stream.into_split();
                    if let Err(error) = sink.session(reader, writer, folder).await {
                        tracing::debug!(%error, "mail sink session ended");
                    }
                });
            }
        });
        Ok((sink, address))
    }

    /// Every mail received so far, oldest first.
    pub fn received(&self) -> Vec<ReceivedMail> {
        self.received
            .lock()
            .map(|mails| mails.clone())
            .unwrap_or_default()
    }

    async fn session(
        &self,
        reader: impl AsyncRead + Unpin,
        mut writer: impl AsyncWrite + Unpin,
        folder: Option<PathBuf>,
    ) -> anyhow::Result<()> {
        let mut lines = BufReader::new(reader).lines();
        writer.write_all(b"220 koppel mail sink\r\n").await?;
        let mut recipients = Vec::new();
        while let Some(line) = lines.next_line().await? {
            let command = line.get(..4).unwrap_or(&line).to_ascii_uppercase();
            let reply: &[u8] = match command.as_str() {
                "EHLO" | "HELO" => b"250 koppel mail sink\r\n",
                "RCPT" => {
                    let address = line
                        .split_once(':')
                        .map(|(_, rest)| rest.trim().trim_matches(['<', '>']).to_owned())
                        .unwrap_or_default();
                    recipients.push(address);
                    b"250 OK\r\n"
                }
                "RSET" => {
                    recipients.clear();
                    b"250 OK\r\n"
                }
                "DATA" => {
                    writer.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                    let mut data = String::new();
                    while let Some(line) = lines.next_line().await? {
                        if line == "." {
                            break;
                        }
                        if data.len() + line.len() > MAX_MAIL_BYTES {
                            anyhow::bail!("mail too large");
                        }
                        // Dot-stuffing: a line that starts with a dot was sent with two.
                        let line = if line.starts_with("..") {
                            &line[1..]
                        } else {
                            &line
                        };
                        data.push_str(line);
                        data.push('\n');
                    }
                    let mail = parse(std::mem::take(&mut recipients), &data);
                    self.keep(mail, folder.as_ref());
                    b"250 queued\r\n"
                }
                "QUIT" => {
                    writer.write_all(b"221 bye\r\n").await?;
                    return Ok(());
                }
                _ => b"250 OK\r\n",
            };
            writer.write_all(reply).await?;
        }
        Ok(())
    }

    fn keep(&self, mail: ReceivedMail, folder: Option<&PathBuf>) {
        let Ok(mut received) = self.received.lock() else {
            return;
        };
        received.push(mail.clone());
        let Some(folder) = folder else {
            return;
        };
        let path = folder.join(format!("{:05}.json", received.len()));
        let written = serde_json::to_vec_pretty(&mail)
            .map_err(std::io::Error::other)
            .and_then(|json| std::fs::write(&path, json));
        let mut out = std::io::stdout().lock();
        let _ = match written {
            Ok(()) => writeln!(
                out,
                "--- mail to {} ({})\nSubject: {}\n\n{}\n",
                mail.recipients.join(", "),
                path.display(),
                mail.subject,
                mail.body
            ),
            Err(error) => writeln!(out, "mail sink: cannot write {}: {error}", path.display()),
        };
    }
}

/// Splits headers from body and decodes the body.
fn parse(recipients: Vec<String>, data: &str) -> ReceivedMail {
    let data = data.replace("\r\n", "\n");
    let (headers, body) = data.split_once("\n\n").unwrap_or((&data, ""));
    // Unfold continued header lines.
    let headers = headers.replace("\n ", " ").replace("\n\t", " ");
    let header = |name: &str| {
        headers
            .lines()
            .find_map(|line| {
                let (key, value) = line.split_once(':')?;
                key.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| value.trim().to_owned())
            })
            .unwrap_or_default()
    };
    let encoding = header("Content-Transfer-Encoding").to_ascii_lowercase();
    let body = match encoding.as_str() {
        "quoted-printable" => quoted_printable(body),
        "base64" => base64::engine::general_purpose::STANDARD
            .decode(body.split_whitespace().collect::<String>())
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_else(|_| body.to_owned()),
        _ => body.to_owned(),
    };
    ReceivedMail {
        recipients,
        subject: header("Subject"),
        body,
    }
}

/// Decodes a quoted-printable body (RFC 2045): `=XX` bytes and `=` soft line breaks.
fn quoted_printable(text: &str) -> String {
    let mut bytes = Vec::with_capacity(text.len());
    let mut lines = text.split('\n').peekable();
    while let Some(line) = lines.next() {
        let line = line.trim_end_matches([' ', '\t', '\r']);
        let (line, soft) = match line.strip_suffix('=') {
            Some(rest) => (rest, true),
            None => (line, false),
        };
        let raw = line.as_bytes();
        let mut index = 0;
        while index < raw.len() {
            let byte = raw[index];
            let hex = raw
                .get(index + 1..index + 3)
                .and_then(|pair| std::str::from_utf8(pair).ok())
                .and_then(|pair| u8::from_str_radix(pair, 16).ok());
            match (byte, hex) {
                (b'=', Some(decoded)) => {
                    bytes.push(decoded);
                    index += 3;
                }
                _ => {
                    bytes.push(byte);
                    index += 1;
                }
            }
        }
        if !soft && lines.peek().is_some() {
            bytes.push(b'\n');
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_bodies_are_decoded_across_soft_breaks() {
        let body = "Beste Sanne,\nvia deze link (=C3=A9=C3=A9n keer):\nhttps://koppel.test/activate?tok=\nen=3Dabc\n";
        assert_eq!(
            quoted_printable(body),
            "Beste Sanne,\nvia deze link (één keer):\nhttps://koppel.test/activate?token=abc\n"
        );
    }

    #[test]
    fn headers_and_a_base64_body_are_read() {
        let data = "Subject: Welkom\nContent-Transfer-Encoding: base64\n\nSGFsbG8g\nd2VyZWxk\n";
        let mail = parse(vec!["a@b.nl".to_owned()], data);
        assert_eq!(mail.subject, "Welkom");
        assert_eq!(mail.body, "Hallo wereld");
    }
}
