export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge badge-${status}`} title={`status: ${status}`}>
      {status}
    </span>
  );
}

export function SeverityBadge({ severity }: { severity: string }) {
  return <span className={`badge severity-${severity}`}>{severity}</span>;
}
