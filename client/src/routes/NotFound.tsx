import { A } from '@solidjs/router';

export default function NotFound() {
  return (
    <section class="card">
      <h1>Nothing here</h1>
      <p>
        This address is not a page of Hangar. <A href="/">Go to the dashboard</A>.
      </p>
    </section>
  );
}
