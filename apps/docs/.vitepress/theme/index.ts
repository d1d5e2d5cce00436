import type { Theme } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
import ExperimentRunner from './ExperimentRunner.vue';
import './custom.css';

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('ExperimentRunner', ExperimentRunner);
  },
} satisfies Theme;
