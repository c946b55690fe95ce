# Helpers for the test nginx of org.ollamaairgap.testing.Nginx (runs with master_process off, so
# one interpreter holds every counter).
package Fixture;

use strict;
use warnings;
use nginx;

our %hits;

# "1" while the request is one of the first $times requests of its path for rule $rule.
sub hit {
    my ($r, $rule, $times) = @_;
    my $n = ++$hits{$rule . ' ' . $r->uri};
    return ($times < 0 || $n <= $times) ? '1' : '';
}

# Maps the original request path to (file, content type) inside the registry storage.
sub locate {
    my ($root, $path) = @_;
    my $blobs = "$root/docker/registry/v2/blobs/sha256";
    if ($path =~ m{^/v2/(.+)/blobs/sha256:([0-9a-f]{64})$}) {
        return ("$blobs/" . substr($2, 0, 2) . "/$2/data", 'application/octet-stream');
    }
    if ($path =~ m{^/docker/registry/v2/blobs/sha256/([0-9a-f]{2})/([0-9a-f]{64})/data$}) {
        return ("$blobs/$1/$2/data", 'application/octet-stream');
    }
    if ($path =~ m{^/v2/(.+)/manifests/([^/]+)$}) {
        my ($repo, $ref) = ($1, $2);
        my $type = 'application/vnd.docker.distribution.manifest.v2+json';
        if ($ref =~ m{^sha256:([0-9a-f]{64})$}) {
            return ("$blobs/" . substr($1, 0, 2) . "/$1/data", $type);
        }
        my $link = "$root/docker/registry/v2/repositories/$repo/_manifests/tags/$ref/current/link";
        open(my $fh, '<', $link) or return;
        my $digest = <$fh>;
        close($fh);
        return unless defined $digest && $digest =~ m{^sha256:([0-9a-f]{64})};
        return ("$blobs/" . substr($1, 0, 2) . "/$1/data", $type);
    }
    return;
}

# Content handler for TRUNCATE and CORRUPT: serves the stored bytes with correct headers
# (Range honoured), then misbehaves as $fault_mode says.
sub serve {
    my $r = shift;
    my $mode = $r->variable('fault_mode');
    my $limit = $r->variable('fault_bytes');
    my $path = $r->variable('request_uri');
    $path =~ s/\?.*//s;
    my ($file, $type) = locate($r->variable('fault_root'), $path);
    return 404 unless defined $file && -f $file;
    my $size = -s $file;
    my ($start, $end, $status) = (0, $size - 1, 200);
    my $range = $r->header_in('Range');
    if (defined $range && $range =~ /^bytes=(\d*)-(\d*)$/ && ($1 ne '' || $2 ne '')) {
        if ($1 eq '') {
            $start = $2 >= $size ? 0 : $size - $2;
        } else {
            $start = $1;
            $end = $2 if $2 ne '' && $2 < $end;
        }
        if ($start >= $size) {
            $r->header_out('Content-Range', "bytes */$size");
            return 416;
        }
        $status = 206;
        $r->header_out('Content-Range', "bytes $start-$end/$size");
    }
    my $len = $end - $start + 1;
    $r->status($status);
    $r->header_out('Content-Length', $len);
    $r->header_out('Accept-Ranges', 'bytes');
    $r->send_http_header($type);
    return OK if $r->header_only || $len <= 0;
    if ($mode eq 'truncate') {
        my $n = $limit < $len ? $limit : $len;
        $r->sendfile($file, $start, $n) if $n > 0;
    } else {
        open(my $fh, '<:raw', $file) or return OK;
        seek($fh, $start, 0);
        read($fh, my $first, 1);
        close($fh);
        $r->print(chr(ord($first) ^ 0xff));
        $r->sendfile($file, $start + 1, $len - 1) if $len > 1;
    }
    return OK;
}

1;
