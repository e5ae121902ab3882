// The shell: which console (customer or operator) the path names, the session of that console, and the page.
import { AdminApp } from './admin/admin-app.tsx';
import { CustomerApp } from './customer-app.tsx';
import { onLinkClick, useLocation } from './router.ts';

export function App() {
  const { path } = useLocation();
  const admin = path === '/console/admin' || path.startsWith('/console/admin/');
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions lint/a11y/useKeyWithClickEvents: delegates link clicks; links keep their own keyboard behaviour
    <div onClick={onLinkClick}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      {admin ? <AdminApp path={path} /> : <CustomerApp path={path} />}
    </div>
  );
}
