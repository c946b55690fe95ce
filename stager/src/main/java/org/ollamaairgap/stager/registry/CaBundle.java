package org.ollamaairgap.stager.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** {@code --ca-bundle}: TLS that trusts the system CAs and the bundle's certificates. */
final class CaBundle {
  private CaBundle() {}

  /** Trusts the system CAs and the certificates in the bundle. */
  static SSLSocketFactory sslFactory(Path bundle) {
    try {
      List<X509TrustManager> managers = new ArrayList<>();
      managers.add(trustManager(null));
      KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
      extra.load(null, null);
      Collection<? extends Certificate> certs;
      try (InputStream in = Files.newInputStream(bundle)) {
        certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      if (certs.isEmpty()) {
        throw new IllegalArgumentException(
            "CA bundle "
                + bundle
                + " holds no PEM certificate; expected -----BEGIN CERTIFICATE-----");
      }
      int i = 0;
      for (Certificate c : certs) {
        extra.setCertificateEntry("extra-" + i++, c);
      }
      managers.add(trustManager(extra));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new EitherTrustManager(managers)}, null);
      return context.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot use CA bundle " + bundle + ": " + e.getMessage(), e);
    }
  }

  private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory f =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(store);
    for (TrustManager m : f.getTrustManagers()) {
      if (m instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X509 trust manager");
  }

  /** Accepts a server chain that any of its managers accepts. */
  private static final class EitherTrustManager implements X509TrustManager {
    private final List<X509TrustManager> managers;

    EitherTrustManager(List<X509TrustManager> managers) {
      this.managers = managers;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("client certificates are not accepted");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      CertificateException first = null;
      for (X509TrustManager m : managers) {
        try {
          m.checkServerTrusted(chain, authType);
          return;
        } catch (CertificateException e) {
          first = first == null ? e : first;
        }
      }
      throw first;
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return managers.stream()
          .flatMap(m -> java.util.Arrays.stream(m.getAcceptedIssuers()))
          .toArray(X509Certificate[]::new);
    }
  }
}
